using PartnerZones.Testing.KafkaWire;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// JoinGroup v0-1, which Kafka 3.9 accepts and 4.0.0 does not. v0 has no rebalance timeout: the session
/// timeout serves as one, as in Kafka.
/// </summary>
public sealed class OldGroupVersionsTests
{
    private const int SessionTimeoutMs = 10_000;
    private static readonly byte[] Subscription = [0, 0, 0, 0, 0, 1, 0, 1, (byte)'t', 0, 0, 0, 0];
    private static readonly byte[] Assignment = [0, 0, 0, 0, 0, 1, 0, 1, (byte)'t', 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public async Task A_v0_join_and_a_v0_sync_form_a_group()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { InitialRebalanceDelayMs = 0 });
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var join = await raw.SendAsync<JoinGroupResponse>(Join("g0", ""), 0);
        Assert.Equal(ErrorCodes.None, join.ErrorCode);
        Assert.Equal(1, join.GenerationId);
        Assert.Equal("range", join.ProtocolName);
        Assert.NotEmpty(join.MemberId);
        Assert.Equal(join.MemberId, join.Leader);
        var member = Assert.Single(join.Members);
        Assert.Equal(join.MemberId, member.MemberId);
        Assert.Equal(Subscription, member.Metadata.ToArray());

        // The session timeout stands in for the rebalance timeout v0 cannot send.
        var group = cluster.Groups.Find("g0")!;
        lock (group)
        {
            Assert.Equal(SessionTimeoutMs, group.Members[join.MemberId].RebalanceTimeoutMs);
        }

        var sync = await raw.SendAsync<SyncGroupResponse>(Sync("g0", join.GenerationId, join.MemberId, leader: true), 0);
        Assert.Equal(ErrorCodes.None, sync.ErrorCode);
        Assert.Equal(Assignment, sync.Assignment.ToArray());

        var heartbeat = await raw.SendAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = "g0", GenerationId = 1, MemberId = join.MemberId }, 0);
        Assert.Equal(ErrorCodes.None, heartbeat.ErrorCode);
        var described = await raw.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["g0"] }, 0);
        Assert.Equal(("Stable", "range"), (described.Groups[0].GroupState, described.Groups[0].ProtocolData));
        Assert.Equal(Assignment, Assert.Single(described.Groups[0].Members).MemberAssignment.ToArray());
    }

    [Fact]
    public async Task A_v1_join_keeps_its_own_rebalance_timeout()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { InitialRebalanceDelayMs = 0 });
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var request = Join("g1", "");
        request.RebalanceTimeoutMs = 45_000;

        var join = await raw.SendAsync<JoinGroupResponse>(request, 1);

        Assert.Equal(ErrorCodes.None, join.ErrorCode);
        var group = cluster.Groups.Find("g1")!;
        lock (group)
        {
            Assert.Equal(45_000, group.Members[join.MemberId].RebalanceTimeoutMs);
        }
    }

    [Fact]
    public async Task A_second_v0_member_rebalances_the_group_into_a_new_generation()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { InitialRebalanceDelayMs = 0 });
        await using var first = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await using var second = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var (firstId, generation) = await FormGroupAsync(first, "pair", joinVersion: 0);

        // The newcomer's join waits until the first member rejoins, which it does once its heartbeat
        // tells it a rebalance is under way.
        var secondJoin = second.SendAsync<JoinGroupResponse>(Join("pair", ""), 0);
        await WaitForAsync(async () => (await first.SendAsync<HeartbeatResponse>(
            new HeartbeatRequest { GroupId = "pair", GenerationId = generation, MemberId = firstId }, 0)).ErrorCode == ErrorCodes.RebalanceInProgress);
        var firstJoin = await first.SendAsync<JoinGroupResponse>(Join("pair", firstId), 0);
        var joined = await secondJoin;

        Assert.Equal((ErrorCodes.None, ErrorCodes.None), (firstJoin.ErrorCode, joined.ErrorCode));
        Assert.Equal((generation + 1, generation + 1), (firstJoin.GenerationId, joined.GenerationId));
        var leader = firstJoin.Leader == firstJoin.MemberId ? firstJoin : joined;
        Assert.Equal(new[] { firstId, joined.MemberId }.Order(), leader.Members.Select(m => m.MemberId).Order());
    }

    /// <summary>Joins <paramref name="groupId"/> alone at <paramref name="joinVersion"/> and syncs with SyncGroup v0,
    /// leaving a Stable group of one; returns the member id and generation.</summary>
    internal static async Task<(string MemberId, int Generation)> FormGroupAsync(KafkaWireClient raw, string groupId, short joinVersion)
    {
        var join = await raw.SendAsync<JoinGroupResponse>(Join(groupId, ""), joinVersion);
        Assert.Equal(ErrorCodes.None, join.ErrorCode);
        var sync = await raw.SendAsync<SyncGroupResponse>(Sync(groupId, join.GenerationId, join.MemberId, leader: true), 0);
        Assert.Equal(ErrorCodes.None, sync.ErrorCode);
        return (join.MemberId, join.GenerationId);
    }

    private static JoinGroupRequest Join(string groupId, string memberId) => new()
    {
        GroupId = groupId,
        MemberId = memberId,
        SessionTimeoutMs = SessionTimeoutMs,
        RebalanceTimeoutMs = 30_000, // not sent at v0
        ProtocolType = "consumer",
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = Subscription }],
    };

    private static SyncGroupRequest Sync(string groupId, int generation, string memberId, bool leader) => new()
    {
        GroupId = groupId,
        GenerationId = generation,
        MemberId = memberId,
        Assignments = leader ? [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = memberId, Assignment = Assignment }] : [],
    };

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(50);
        }
    }
}
