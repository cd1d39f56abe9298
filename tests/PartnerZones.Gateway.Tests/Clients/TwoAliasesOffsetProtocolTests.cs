using System.Net;
using Confluent.Kafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// Per-alias committed offsets, request by request: commits and fetches for both aliases of one backing
/// topic, "all topics" fetches, the shadow group behind topic-b (invisible to the partner and out of its
/// reach), its deletion with the partner's group, the fence on member commits, and a shadow group
/// coordinated by another node than the zone's group.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class TwoAliasesOffsetProtocolTests
{
    private const short UnknownMemberId = 25;
    private const short GroupIdNotFound = 69;
    private const string A = ZoneExpectations.WriteAlias;
    private const string B = ZoneExpectations.ReadAlias;

    [Fact]
    public async Task Each_alias_reads_back_its_own_offsets_and_all_topics_returns_both()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        using var partner = await PartnerAsync(gateway);
        const string Group = "raw-both";

        var commit = await partner.SendAsync<OffsetCommitResponse>(Commit(Group, (A, 0, 5), (B, 0, 7), (B, 1, 3)), 8);
        Assert.Equal([A, B], commit.Topics.Select(t => t.Name));
        Assert.All(commit.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));

        // v8: all topics of the group, and the same group again with explicit topics.
        var fetch8 = await partner.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            Groups =
            [
                new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = Group, Topics = null },
                new OffsetFetchRequest.OffsetFetchRequestGroup
                {
                    GroupId = Group,
                    Topics = [new() { Name = B, PartitionIndexes = [0, 1, 2] }, new() { Name = A, PartitionIndexes = [0, 1] }],
                },
            ],
        }, 8);
        Assert.All(fetch8.Groups, g => Assert.Equal(0, g.ErrorCode));
        Assert.Equal(
            [(A, 0, 5L), (B, 0, 7L), (B, 1, 3L)],
            fetch8.Groups[0].Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.CommittedOffset))));
        Assert.Equal(
            [(B, 0, 7L), (B, 1, 3L), (B, 2, -1L), (A, 0, 5L), (A, 1, -1L)],
            fetch8.Groups[1].Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.CommittedOffset))));

        // v7 (one group) and v1 (explicit topics only) answer the same.
        var fetch7 = await partner.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest { GroupId = Group, Topics = null }, 7);
        Assert.Equal(0, fetch7.ErrorCode);
        Assert.Equal([(A, 0, 5L), (B, 0, 7L), (B, 1, 3L)], fetch7.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.CommittedOffset))));
        var fetch1 = await partner.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = Group,
            Topics = [new() { Name = A, PartitionIndexes = [0] }, new() { Name = B, PartitionIndexes = [0, 1] }, new() { Name = GatewayFixture.BackingTopic, PartitionIndexes = [0] }],
        }, 1);
        Assert.Equal(
            [(A, 0, 5L, (short)0), (B, 0, 7L, (short)0), (B, 1, 3L, (short)0), (GatewayFixture.BackingTopic, 0, -1L, (short)3)],
            fetch1.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.CommittedOffset, p.ErrorCode))));

        // Upstream: topic-a in the zone's group, topic-b in its shadow group, each on the backing topic.
        Assert.Equal(new Dictionary<int, long> { [0] = 5, [1] = Offset.Unset.Value, [2] = Offset.Unset.Value }, await ReferenceClient.CommittedAsync(gateway.UpstreamEndpoint, ZoneExpectations.UpstreamGroup(Group), GatewayFixture.BackingTopic));
        Assert.Equal(new Dictionary<int, long> { [0] = 7, [1] = 3, [2] = Offset.Unset.Value }, await ReferenceClient.CommittedAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(B, Group), GatewayFixture.BackingTopic));
    }

    [Fact]
    public async Task The_shadow_group_is_invisible_to_the_partner_and_out_of_its_reach()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        using var partner = await PartnerAsync(gateway);
        const string Group = "hidden";
        var shadow = ZoneExpectations.ShadowGroup(B, Group);
        var own = await partner.SendAsync<OffsetCommitResponse>(Commit(Group, (A, 0, 1), (B, 0, 4)), 8);
        Assert.All(own.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));
        using (var admin = new AdminClientBuilder(gateway.UpstreamEndpoint.Config<AdminClientConfig>()).Build())
        {
            Assert.Contains(shadow, (await admin.ListConsumerGroupsAsync()).Valid.Select(g => g.GroupId));
        }

        // Listed: the partner's own group only, by its own name.
        var listed = await partner.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 4);
        Assert.Equal([Group], listed.Groups.Select(g => g.GroupId));

        // Named by its upstream id, it is a group of the partner's own namespace that does not exist.
        var described = await partner.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [shadow] }, 5);
        var group = Assert.Single(described.Groups);
        Assert.Equal(shadow, group.GroupId);
        Assert.True(group.ErrorCode != 0 || group.GroupState == "Dead", $"the shadow group described as {group.GroupState}.");
        Assert.Empty(group.Members);

        var fetched = await partner.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest { Groups = [new() { GroupId = shadow, Topics = null }] }, 8);
        Assert.Empty(Assert.Single(fetched.Groups).Topics);

        var deleted = await partner.SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = [shadow] }, 2);
        Assert.Equal(GroupIdNotFound, Assert.Single(deleted.Results).ErrorCode);

        // A commit "into" it lands in the partner's namespace, never in the shadow group.
        var commit = await partner.SendAsync<OffsetCommitResponse>(Commit(shadow, (B, 0, 999)), 8);
        Assert.All(commit.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));
        Assert.Equal(4, (await ReferenceClient.CommittedAsync(gateway.UpstreamEndpoint, shadow, GatewayFixture.BackingTopic))[0]);
        Assert.Equal(999, (await ReferenceClient.CommittedAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(B, shadow), GatewayFixture.BackingTopic))[0]);
    }

    [Fact]
    public async Task Deleting_a_partner_group_deletes_its_shadow_group_too()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        using var partner = await PartnerAsync(gateway);
        var commits = await partner.SendAsync<OffsetCommitResponse>(Commit("both", (A, 0, 2), (B, 0, 2)), 8);
        Assert.All(commits.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));
        // A group that only ever committed topic-b has no offsets in the zone's group at all.
        commits = await partner.SendAsync<OffsetCommitResponse>(Commit("b-only", (B, 1, 2)), 8);
        Assert.All(commits.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode));

        var deleted = await partner.SendAsync<DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = ["both", "b-only", "never"] }, 2);
        Assert.Equal([("both", (short)0), ("b-only", (short)0), ("never", GroupIdNotFound)], deleted.Results.Select(r => (r.GroupId, r.ErrorCode)));

        using var admin = new AdminClientBuilder(gateway.UpstreamEndpoint.Config<AdminClientConfig>()).Build();
        var upstream = (await admin.ListConsumerGroupsAsync()).Valid.Select(g => g.GroupId).ToList();
        Assert.DoesNotContain(upstream, g => g.Contains("both", StringComparison.Ordinal) || g.Contains("b-only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_commit_for_topic_b_is_fenced_by_the_zones_group()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        using var partner = await PartnerAsync(gateway);
        const string Group = "fenced";

        // A member the zone's group does not know: refused whether or not topic-a is in the same commit.
        foreach (var request in new[] { Commit(Group, (B, 0, 9)), Commit(Group, (A, 0, 9), (B, 1, 9)) })
        {
            request.GenerationIdOrMemberEpoch = 3;
            request.MemberId = "ghost-member";
            var response = await partner.SendAsync<OffsetCommitResponse>(request, 8);
            Assert.All(response.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(UnknownMemberId, p.ErrorCode));
        }

        using var admin = new AdminClientBuilder(gateway.UpstreamEndpoint.Config<AdminClientConfig>()).Build();
        Assert.DoesNotContain(ZoneExpectations.ShadowGroup(B, Group), (await admin.ListConsumerGroupsAsync()).Valid.Select(g => g.GroupId));
    }

    [Fact]
    public async Task A_shadow_group_on_another_coordinator_than_the_zones_group_keeps_its_offsets()
    {
        await using var gateway = await GatewayFixture.StartAsync(3);
        const int Count = 30;

        // A group whose shadow group (topic-b) has a different coordinator than the group itself (topic-a).
        var (group, _, _) = await SpreadGroupAsync(gateway);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "spread", Count);
        var metrics = gateway.Gateway.Runtime.Metrics;
        var upstreamBefore = metrics.OpenUpstreamConnections;
        var config = gateway.PartnerEndpoint.Config<ConsumerConfig>();
        config.GroupId = group;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        config.SessionTimeoutMs = 6000;
        var partitions = Enumerable.Range(0, GatewayFixture.BackingPartitions).ToList();
        using (var consumer = new ConsumerBuilder<string, string>(config).Build())
        {
            consumer.Subscribe([A, B]);
            var seen = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (seen < 2 * Count && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not null)
                {
                    seen++;
                }
            }

            Assert.Equal(2 * Count, seen);
            var committed = consumer.Commit();
            Assert.Equal(2 * GatewayFixture.BackingPartitions, committed.Count);

            // Read back through the gateway: each alias its own, both the full count.
            var a = consumer.Committed([.. partitions.Select(p => new TopicPartition(A, p))], TimeSpan.FromSeconds(30));
            var b = consumer.Committed([.. partitions.Select(p => new TopicPartition(B, p))], TimeSpan.FromSeconds(30));
            Assert.Equal(Count, a.Sum(c => c.Offset.Value));
            Assert.Equal(Count, b.Sum(c => c.Offset.Value));
            consumer.Close();
        }

        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.UpstreamGroup(group), GatewayFixture.BackingTopic));
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(B, group), GatewayFixture.BackingTopic));

        // The extra links to the shadow group's coordinator closed with the client's connections.
        var settle = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (metrics.OpenUpstreamConnections != upstreamBefore && DateTime.UtcNow < settle)
        {
            await Task.Delay(100);
        }

        Assert.Equal(upstreamBefore, metrics.OpenUpstreamConnections);
    }

    [Fact]
    public async Task A_lost_link_to_the_shadow_groups_coordinator_is_replaced_without_closing_the_client()
    {
        await using var gateway = await GatewayFixture.StartAsync(3);
        var (group, main, shadow) = await SpreadGroupAsync(gateway);
        var metrics = gateway.Gateway.Runtime.Metrics;
        var upstreamBefore = metrics.OpenUpstreamConnections;

        // The partner talks to the gateway port of its group's coordinator, as a client does after FindCoordinator.
        var brokers = gateway.Gateway.Runtime.Brokers;
        using (var partner = await KafkaWireClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, brokers.GatewayPort(main))))
        {
            Assert.Equal(0, (await partner.LoginPlainAsync("johndoe", GatewayFixture.PartnerSecret, authenticateVersion: 0)).ErrorCode);
            var first = await partner.SendAsync<OffsetCommitResponse>(Commit(group, (B, 0, 5)), 8);
            Assert.Equal(0, Assert.Single(Assert.Single(first.Topics).Partitions).ErrorCode);

            // The shadow group's coordinator restarts: the gateway's extra connection to it is dropped.
            await gateway.Cluster.RestartNodeAsync(shadow);

            // Still on the same client connection, the next commit reaches it over a new one.
            var second = await partner.SendAsync<OffsetCommitResponse>(Commit(group, (B, 0, 6)), 8);
            Assert.Equal(0, Assert.Single(Assert.Single(second.Topics).Partitions).ErrorCode);
            var fetched = await partner.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest { Groups = [new() { GroupId = group, Topics = [new() { Name = B, PartitionIndexes = [0] }] }] }, 8);
            Assert.Equal(6, Assert.Single(Assert.Single(Assert.Single(fetched.Groups).Topics).Partitions).CommittedOffset);
        }

        Assert.Equal(6, (await ReferenceClient.CommittedAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(B, group), GatewayFixture.BackingTopic))[0]);
        var settle = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (metrics.OpenUpstreamConnections != upstreamBefore && DateTime.UtcNow < settle)
        {
            await Task.Delay(100);
        }

        Assert.Equal(upstreamBefore, metrics.OpenUpstreamConnections);
    }

    /// <summary>A partner group whose shadow group (topic-b) has another coordinator than the group itself.</summary>
    private static async Task<(string Group, int Main, int Shadow)> SpreadGroupAsync(GatewayFixture gateway)
    {
        for (var i = 0; i < 50; i++)
        {
            var candidate = $"spread-{i}";
            var main = await CoordinatorAsync(gateway, ZoneExpectations.UpstreamGroup(candidate));
            var shadow = await CoordinatorAsync(gateway, ZoneExpectations.ShadowGroup(B, candidate));
            if (main != shadow)
            {
                return (candidate, main, shadow);
            }
        }

        Assert.Fail("No group id among 50 has its shadow group on another coordinator.");
        return default;
    }

    private static async Task<KafkaWireClient> PartnerAsync(GatewayFixture gateway)
    {
        var connection = await KafkaWireClient.ConnectAsync(IPEndPoint.Parse(gateway.Gateway.BootstrapServers));
        Assert.Equal(0, (await connection.LoginPlainAsync("johndoe", GatewayFixture.PartnerSecret, authenticateVersion: 0)).ErrorCode);
        return connection;
    }

    /// <summary>A standalone commit (no generation, no member), as an assign()-ing consumer makes.</summary>
    private static OffsetCommitRequest Commit(string group, params (string Topic, int Partition, long Offset)[] offsets) => new()
    {
        GroupId = group,
        GenerationIdOrMemberEpoch = -1,
        MemberId = "",
        Topics = [.. offsets.GroupBy(o => o.Topic).Select(t => new OffsetCommitRequest.OffsetCommitRequestTopic
        {
            Name = t.Key,
            Partitions = [.. t.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = o.Partition, CommittedOffset = o.Offset })],
        })],
    };

    /// <summary>The node that coordinates an upstream group, asked of the backing cluster directly.</summary>
    private static async Task<int> CoordinatorAsync(GatewayFixture gateway, string upstreamGroup)
    {
        using var connection = await KafkaWireClient.ConnectAsync(gateway.Cluster.EndPoints[0]);
        var response = await connection.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { CoordinatorKey = upstreamGroup, KeyType = 0 }, 3);
        Assert.Equal(0, response.ErrorCode);
        return response.NodeId;
    }
}
