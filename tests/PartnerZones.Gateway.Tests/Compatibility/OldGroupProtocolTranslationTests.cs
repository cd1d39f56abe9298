using System.Buffers.Binary;
using System.Text;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// The consumer side of the 0.9-0.10 era through the gateway in front of an upstream that serves only Kafka
/// 4.0's versions: ListOffsets v0 (old-style offset lists), a group formed with JoinGroup v0 and SyncGroup v0,
/// offsets committed with OffsetCommit v1 in that group and v0 standalone, read back with OffsetFetch v0. The
/// upstream only ever receives versions it serves (ListOffsets v1, JoinGroup v2, OffsetCommit v2, OffsetFetch
/// v1), and a v0 member's rebalance timeout is its session timeout. For a partner and an admin.
/// </summary>
public sealed class OldGroupProtocolTranslationTests(Kafka40GatewayFixture fixture) : IClassFixture<Kafka40GatewayFixture>
{
    private const long Earliest = -2;
    private const long Latest = -1;
    private const int SessionTimeoutMs = 30_000;
    private const short UnknownTopicOrPartition = 3;

    [Theory]
    [InlineData(Principal.Partner)]
    [InlineData(Principal.Admin)]
    public async Task ListOffsets_v0_gives_the_earliest_or_latest_offset_as_a_list_of_at_most_MaxNumOffsets(Principal who)
    {
        await using var direct = await fixture.DirectAsync();
        await direct.ProduceAsync(GatewayFixture.BackingTopic, TestRecordBatches.Values($"list-{who}", 4));

        await using var client = await fixture.LoggedInAsync(who);
        var topic = Kafka40GatewayFixture.ReadTopic(who);
        foreach (var timestamp in new[] { Earliest, Latest })
        {
            var expected = await DirectOffsetsAsync(direct, timestamp);
            Assert.True(timestamp == Earliest || expected[0] >= 4, $"partition 0 ends at {expected[0]} after 4 records");
            foreach (var max in new[] { 1, 0 })
            {
                var response = await client.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
                {
                    ReplicaId = -1,
                    Topics = [new ListOffsetsRequest.ListOffsetsTopic
                    {
                        Name = topic,
                        Partitions = [.. expected.Keys.Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p, Timestamp = timestamp, MaxNumOffsets = max })],
                    }],
                }, 0);
                var answer = Assert.Single(response.Topics);
                Assert.Equal(topic, answer.Name);
                Assert.Equal(
                    expected.OrderBy(e => e.Key).Select(e => $"partition {e.Key}: error 0 offsets [{(max == 0 ? "" : e.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}]"),
                    answer.Partitions.OrderBy(p => p.PartitionIndex).Select(p => $"partition {p.PartitionIndex}: error {p.ErrorCode} offsets [{string.Join(", ", p.OldStyleOffsets)}]"));
            }
        }

        // A partition the topic does not have: Kafka's error and no offsets.
        var missing = await client.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new ListOffsetsRequest.ListOffsetsTopic { Name = topic, Partitions = [new() { PartitionIndex = 9, Timestamp = Latest, MaxNumOffsets = 1 }] }],
        }, 0);
        var nine = Assert.Single(Assert.Single(missing.Topics).Partitions);
        Assert.Equal((9, UnknownTopicOrPartition, 0), (nine.PartitionIndex, nine.ErrorCode, nine.OldStyleOffsets.Count));

        Assert.True(fixture.Seen.Saw(ListOffsetsRequest.Key, 1), $"ListOffsets went upstream at v{string.Join(", v", fixture.Seen.VersionsOf(ListOffsetsRequest.Key))}, not v1");
        await fixture.AssertUpstreamSawOnlyServedVersionsAsync();
    }

    [Theory]
    [InlineData(Principal.Partner)]
    [InlineData(Principal.Admin)]
    public async Task A_group_forms_at_v0_and_offsets_committed_at_v0_and_v1_come_back_at_v0(Principal who)
    {
        var topic = Kafka40GatewayFixture.ReadTopic(who);
        var group = $"old-group-{who}-{Guid.NewGuid():N}";
        var subscription = Subscription(topic);
        var assignment = Assignment(topic, 0, 1, 2);
        await using var client = await fixture.LoggedInAsync(who);

        var join = await client.SendAsync<JoinGroupResponse>(new JoinGroupRequest
        {
            GroupId = group,
            SessionTimeoutMs = SessionTimeoutMs,
            MemberId = "",
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = subscription }],
        }, 0);
        Assert.Equal(0, join.ErrorCode);
        Assert.True(join.GenerationId >= 1, $"generation {join.GenerationId}");
        Assert.Equal(("range", join.MemberId), (join.ProtocolName, join.Leader));
        var member = Assert.Single(join.Members);
        Assert.Equal(join.MemberId, member.MemberId);
        Assert.Equal(subscription, member.Metadata.ToArray());

        var sync = await client.SendAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = join.GenerationId,
            MemberId = join.MemberId,
            Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = join.MemberId, Assignment = assignment }],
        }, 0);
        Assert.Equal(0, sync.ErrorCode);
        Assert.Equal(assignment, sync.Assignment.ToArray());

        // v1 commits as the group's member; v0 (no generation, no member) is a standalone commit, which a group
        // with members refuses, so it goes to a group of its own, as the ZooKeeper-era consumers used it.
        var commit = await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = group,
            GenerationIdOrMemberEpoch = join.GenerationId,
            MemberId = join.MemberId,
            Topics = [Commit(topic, (0, 3, "v1 zero"), (1, 1, "v1 one"))],
        }, 1);
        AssertCommitted(topic, commit, 0, 1);
        var standalone = $"{group}-standalone";
        AssertCommitted(topic, await client.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = standalone,
            Topics = [Commit(topic, (2, 5, "v0 two"))],
        }, 0), 2);

        Assert.Equal(
            [(0, 3L, "v1 zero", 0), (1, 1L, "v1 one", 0), (2, -1L, "", 0)],
            await CommittedAsync(client, group, topic));
        Assert.Equal(
            [(0, -1L, "", 0), (1, -1L, "", 0), (2, 5L, "v0 two", 0)],
            await CommittedAsync(client, standalone, topic));

        var leave = await client.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = group, MemberId = join.MemberId }, 0);
        Assert.Equal(0, leave.ErrorCode);

        var joins = fixture.Seen.JoinGroups().Where(j => j.Request.GroupId.EndsWith(group, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(joins);
        Assert.All(joins, j => Assert.Equal((2, SessionTimeoutMs, SessionTimeoutMs), (j.Version, j.Request.SessionTimeoutMs, j.Request.RebalanceTimeoutMs)));
        Assert.True(fixture.Seen.Saw(OffsetCommitRequest.Key, 2), $"OffsetCommit went upstream at v{string.Join(", v", fixture.Seen.VersionsOf(OffsetCommitRequest.Key))}, not v2");
        Assert.True(fixture.Seen.Saw(OffsetFetchRequest.Key, 1), $"OffsetFetch went upstream at v{string.Join(", v", fixture.Seen.VersionsOf(OffsetFetchRequest.Key))}, not v1");
        await fixture.AssertUpstreamSawOnlyServedVersionsAsync();
    }

    /// <summary>The earliest or latest offset of every partition, asked directly at a version the upstream serves.</summary>
    private static async Task<Dictionary<int, long>> DirectOffsetsAsync(KafkaWireClient direct, long timestamp)
    {
        var response = await direct.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new ListOffsetsRequest.ListOffsetsTopic
            {
                Name = GatewayFixture.BackingTopic,
                Partitions = [.. Enumerable.Range(0, GatewayFixture.BackingPartitions).Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p, Timestamp = timestamp })],
            }],
        }, 1);
        var partitions = Assert.Single(response.Topics).Partitions;
        Assert.All(partitions, p => Assert.Equal(0, p.ErrorCode));
        return partitions.ToDictionary(p => p.PartitionIndex, p => p.Offset);
    }

    private static OffsetCommitRequest.OffsetCommitRequestTopic Commit(string topic, params (int Partition, long Offset, string Metadata)[] offsets) => new()
    {
        Name = topic,
        Partitions = [.. offsets.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition
        {
            PartitionIndex = o.Partition,
            CommittedOffset = o.Offset,
            CommittedMetadata = o.Metadata,
        })],
    };

    private static void AssertCommitted(string topic, OffsetCommitResponse response, params int[] partitions)
    {
        var answer = Assert.Single(response.Topics);
        Assert.Equal(topic, answer.Name);
        Assert.Equal(partitions.Select(p => (p, 0)), answer.Partitions.OrderBy(p => p.PartitionIndex).Select(p => (p.PartitionIndex, (int)p.ErrorCode)));
    }

    private static async Task<List<(int, long, string, int)>> CommittedAsync(KafkaWireClient client, string group, string topic)
    {
        var response = await client.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = group,
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic, PartitionIndexes = [0, 1, 2] }],
        }, 0);
        var answer = Assert.Single(response.Topics);
        Assert.Equal(topic, answer.Name);
        return [.. answer.Partitions.OrderBy(p => p.PartitionIndex).Select(p => (p.PartitionIndex, p.CommittedOffset, p.Metadata ?? "", (int)p.ErrorCode))];
    }

    /// <summary>The consumer protocol's subscription v0: version, topics, null user data.</summary>
    private static byte[] Subscription(string topic) => [.. Int16(0), .. Int32(1), .. String(topic), .. Int32(-1)];

    /// <summary>The consumer protocol's assignment v0: version, one topic with its partitions, null user data.</summary>
    private static byte[] Assignment(string topic, params int[] partitions) =>
        [.. Int16(0), .. Int32(1), .. String(topic), .. Int32(partitions.Length), .. partitions.SelectMany(Int32), .. Int32(-1)];

    private static byte[] String(string text) => [.. Int16((short)Encoding.UTF8.GetByteCount(text)), .. Encoding.UTF8.GetBytes(text)];

    private static byte[] Int16(short value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
