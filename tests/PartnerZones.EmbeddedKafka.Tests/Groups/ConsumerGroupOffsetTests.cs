using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;
using static PartnerZones.Testing.KafkaWire.ConsumerGroupWire;

namespace PartnerZones.EmbeddedKafka.Tests.Groups;

/// <summary>OffsetCommit v9+ and OffsetFetch v9+ from members of a consumer-protocol group: the member epoch
/// stands where the classic generation stood.</summary>
public sealed class ConsumerGroupOffsetTests
{
    private const short UnknownMemberId = 25;
    private const short UnsupportedVersion = 35;
    private const short StaleMemberEpoch = 113;
    private const short FencedMemberEpoch = 110;

    [Fact]
    public async Task A_member_commits_and_fetches_at_its_epoch_and_an_older_epoch_is_stale_for_partitions_it_got_since()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 2);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a", ["t"]));
        var firstEpoch = a.MemberEpoch;
        var b = await JoinAsync(raw, "g", "b", ["t"]);
        a = await AckAsync(raw, "g", await AckAsync(raw, "g", a)); // a gave a partition up and moved to the new epoch
        Assert.True(a.MemberEpoch > firstEpoch);
        var kept = a.Assignment!.TopicPartitions.Single().Partitions.Single();
        var lost = 1 - kept;
        var topicId = (await raw.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [new() { Name = "t" }] }, 12)).Topics[0].TopicId;

        Assert.Equal(0, await CommitAsync(raw, "a", a.MemberEpoch, kept, 9));
        Assert.Equal(0, await CommitAsync(raw, "a", a.MemberEpoch, kept, 10, topicId));
        Assert.Equal(FencedMemberEpoch, await CommitAsync(raw, "a", a.MemberEpoch + 1, kept, 9));
        Assert.Equal(UnknownMemberId, await CommitAsync(raw, "nobody", 1, kept, 9));
        Assert.Equal(UnsupportedVersion, await CommitAsync(raw, "a", a.MemberEpoch, kept, 8));

        // The old epoch still speaks for the partition a has held since then, not for the one it gave up.
        Assert.Equal(0, await CommitAsync(raw, "a", firstEpoch, kept, 9));
        Assert.Equal(StaleMemberEpoch, await CommitAsync(raw, "a", firstEpoch, lost, 9));
        Assert.Equal(StaleMemberEpoch, await CommitAsync(raw, "a", firstEpoch - 1, kept, 9));

        Assert.Equal((0, 42L), await FetchAsync(raw, "a", a.MemberEpoch, kept));
        Assert.Equal(StaleMemberEpoch, (await FetchAsync(raw, "a", firstEpoch, lost)).Error);
        Assert.Equal(UnknownMemberId, (await FetchAsync(raw, "nobody", 3, kept)).Error);
        Assert.Equal((0, 42L), await FetchAsync(raw, null, -1, kept)); // an administrative read
        Assert.NotNull(b.MemberId);
    }

    private static async Task<short> CommitAsync(KafkaWireClient raw, string memberId, int epoch, int partition, short version, Guid topicId = default)
    {
        var response = await raw.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "g",
            GenerationIdOrMemberEpoch = epoch,
            MemberId = memberId,
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = "t",
                TopicId = topicId,
                Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = partition, CommittedOffset = 42 }],
            }],
        }, version);
        return response.Topics[0].Partitions[0].ErrorCode;
    }

    private static async Task<(short Error, long Offset)> FetchAsync(KafkaWireClient raw, string? memberId, int epoch, int partition)
    {
        var response = await raw.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups = [new OffsetFetchRequest.OffsetFetchRequestGroup
            {
                GroupId = "g",
                MemberId = memberId,
                MemberEpoch = epoch,
                Topics = [new OffsetFetchRequest.OffsetFetchRequestTopics { Name = "t", PartitionIndexes = [partition] }],
            }],
        }, 9);
        var group = response.Groups[0];
        return (group.ErrorCode, group.Topics.FirstOrDefault()?.Partitions[0].CommittedOffset ?? -1);
    }
}
