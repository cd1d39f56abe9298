using PartnerZones.Testing.KafkaWire;
using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// OffsetCommit v0-1 and OffsetFetch v0, which Kafka 3.9 accepts and 4.0 does not. v0 commits carry no
/// member or generation (a standalone commit); v1 adds them and a commit time per partition. The cluster
/// keeps one offset store, so what any version commits every version fetches.
/// </summary>
public sealed class OldOffsetVersionsTests
{
    [Fact]
    public async Task A_v0_commit_is_fetched_by_v0_v1_and_current_versions()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "t", 2);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var commit = await raw.SendAsync<OffsetCommitResponse>(Commit("old-group", -1, "", (0, 17, "m0"), (1, 4, null)), 0);
        Assert.All(commit.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(ErrorCodes.None, p.ErrorCode));

        foreach (var version in new short[] { 0, 1, 7 })
        {
            var fetched = await raw.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
            {
                GroupId = "old-group",
                Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "t", PartitionIndexes = [0, 1] }],
            }, version);
            var partitions = Assert.Single(fetched.Topics).Partitions;
            // Metadata committed as null reads back empty, as in Kafka.
            Assert.Equal(new[] { (0, 17L, (string?)"m0"), (1, 4L, (string?)"") }, partitions.Select(p => (p.PartitionIndex, p.CommittedOffset, p.Metadata)));
            Assert.All(partitions, p => Assert.Equal(ErrorCodes.None, p.ErrorCode));
        }

        var current = await raw.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = "old-group", Topics = null }],
        }, 8);
        Assert.Equal([17L, 4L], current.Groups[0].Topics[0].Partitions.Select(p => p.CommittedOffset));
    }

    [Fact]
    public async Task A_v0_fetch_of_nothing_committed_answers_offset_minus_one()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "t", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var fetched = await raw.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = "nobody-committed",
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "t", PartitionIndexes = [0] }],
        }, 0);
        var partition = Assert.Single(Assert.Single(fetched.Topics).Partitions);
        Assert.Equal((-1L, ErrorCodes.None), (partition.CommittedOffset, partition.ErrorCode));
    }

    [Fact]
    public async Task A_v1_commit_checks_the_member_and_generation_of_a_formed_group()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { InitialRebalanceDelayMs = 0 });
        await Clients.CreateTopicAsync(cluster, "t", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var (memberId, generation) = await OldGroupVersionsTests.FormGroupAsync(raw, "v1-group", joinVersion: 1);

        var stale = await raw.SendAsync<OffsetCommitResponse>(Commit("v1-group", generation + 1, memberId, (0, 3, null)), 1);
        Assert.Equal(ErrorCodes.IllegalGeneration, stale.Topics[0].Partitions[0].ErrorCode);
        var stranger = await raw.SendAsync<OffsetCommitResponse>(Commit("v1-group", generation, "someone-else", (0, 3, null)), 1);
        Assert.Equal(ErrorCodes.UnknownMemberId, stranger.Topics[0].Partitions[0].ErrorCode);

        // A commit time in the past is kept as given (Kafka 3.x bases the offset's expiry on it).
        var committedAt = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds();
        var request = Commit("v1-group", generation, memberId, (0, 3, "meta"));
        request.Topics[0].Partitions[0].CommitTimestamp = committedAt;
        var commit = await raw.SendAsync<OffsetCommitResponse>(request, 1);
        Assert.Equal(ErrorCodes.None, commit.Topics[0].Partitions[0].ErrorCode);

        var group = cluster.Groups.Find("v1-group")!;
        lock (group)
        {
            Assert.Equal(new CommittedOffset(3, -1, "meta", committedAt), group.Offsets[("t", 0)]);
        }

        // Without a time the commit is stamped now.
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await raw.SendAsync<OffsetCommitResponse>(Commit("v1-group", generation, memberId, (0, 4, null)), 1);
        lock (group)
        {
            Assert.InRange(group.Offsets[("t", 0)].CommitTimestamp, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
    }

    [Fact]
    public async Task A_v0_commit_to_a_group_with_members_is_refused_as_a_standalone_commit_is()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { InitialRebalanceDelayMs = 0 });
        await Clients.CreateTopicAsync(cluster, "t", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await OldGroupVersionsTests.FormGroupAsync(raw, "busy", joinVersion: 0);

        var commit = await raw.SendAsync<OffsetCommitResponse>(Commit("busy", -1, "", (0, 1, null)), 0);
        Assert.Equal(ErrorCodes.UnknownMemberId, commit.Topics[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task Old_fetches_at_the_wrong_node_carry_the_group_error_on_every_partition()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 2 });
        await Clients.CreateTopicAsync(cluster, "t", 2);
        const string group = "elsewhere";
        var wrongNode = 1 - cluster.Groups.CoordinatorFor(group);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[wrongNode]);

        // v0-1 have no group-level error code, so NOT_COORDINATOR must reach the client per partition.
        foreach (var version in new short[] { 0, 1 })
        {
            var fetched = await raw.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
            {
                GroupId = group,
                Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "t", PartitionIndexes = [0, 1] }],
            }, version);
            var partitions = Assert.Single(fetched.Topics).Partitions;
            Assert.Equal([0, 1], partitions.Select(p => p.PartitionIndex));
            Assert.All(partitions, p => Assert.Equal((ErrorCodes.NotCoordinator, -1L), (p.ErrorCode, p.CommittedOffset)));
        }

        var commit = await raw.SendAsync<OffsetCommitResponse>(Commit(group, -1, "", (0, 1, null)), 0);
        Assert.Equal(ErrorCodes.NotCoordinator, commit.Topics[0].Partitions[0].ErrorCode);
    }

    private static OffsetCommitRequest Commit(string group, int generation, string memberId, params (int Partition, long Offset, string? Metadata)[] offsets) => new()
    {
        GroupId = group,
        GenerationIdOrMemberEpoch = generation,
        MemberId = memberId,
        Topics =
        [
            new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = "t",
                Partitions = [.. offsets.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = o.Partition, CommittedOffset = o.Offset, CommittedMetadata = o.Metadata })],
            },
        ],
    };
}
