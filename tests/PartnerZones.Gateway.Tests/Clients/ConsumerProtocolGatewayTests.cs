using System.Collections.Concurrent;
using Confluent.Kafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// librdkafka (Confluent.Kafka) with group.protocol=consumer (KIP-848) through the gateway, in front of an
/// embedded cluster that serves the protocol: members of a partner's group come and go while every record
/// is read exactly once and commits resume; a regex subscription reads the zone's aliases and nothing
/// else; and a classic group and a consumer-protocol group of one zone work side by side. The same client
/// directly against the cluster is ConsumerProtocolClientTests (EmbeddedKafka tests).
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class ConsumerProtocolGatewayTests
{
    private const int Count = 600;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Members_of_a_partner_group_come_and_go_and_every_record_of_topic_b_is_read_once_and_commits_resume(int nodes)
    {
        await using var gateway = await StartAsync(nodes);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "first", Count);
        const string Group = "kip848-members";

        var seen = new ConcurrentDictionary<(string Topic, int Partition, long Offset), int>();
        var first = new[] { Member(gateway, Group, seen), Member(gateway, Group, seen), Member(gateway, Group, seen) };
        await CommittingMember.WaitAsync(() => seen.Count >= Count / 3, Timeout);

        // One member leaves and another joins while records are being read.
        await first[2].StopAsync();
        var late = Member(gateway, Group, seen);
        await CommittingMember.WaitAsync(() => seen.Count >= Count, Timeout);
        await Task.WhenAll(first[0].StopAsync(), first[1].StopAsync(), late.StopAsync());

        Assert.Equal(Count, seen.Count);
        Assert.All(seen, entry => Assert.True(entry.Value == 1, $"{entry.Key} was read {entry.Value} times"));
        Assert.All(seen.Keys, key => Assert.Equal(ZoneExpectations.ReadAlias, key.Topic));
        Assert.True(late.Read > 0, "the member that joined late got no partitions");

        // Upstream it is a consumer-protocol group under the zone's prefix; topic-b's offsets are in its
        // shadow group (topic-a is the backing topic's first alias), every record committed.
        Assert.Equal("consumer", await GroupTypeAsync(gateway, ZoneExpectations.UpstreamGroup(Group)));
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(ZoneExpectations.ReadAlias, Group), GatewayFixture.BackingTopic));

        // A new member starts where the group's commits say: only what was produced since.
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "second", 60);
        var resumed = new ConcurrentDictionary<(string Topic, int Partition, long Offset), int>();
        var next = Member(gateway, Group, resumed);
        await CommittingMember.WaitAsync(() => resumed.Count >= 60, Timeout);
        await Task.Delay(500);
        await next.StopAsync();
        Assert.Equal(60, resumed.Count);
        Assert.Empty(resumed.Keys.Intersect(seen.Keys));
    }

    [Fact]
    public async Task A_regex_subscription_reads_the_zones_aliases_only_each_with_its_own_committed_position()
    {
        await using var gateway = await StartAsync(1);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "zone", 30);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, "private-topic", "private", 30);
        const string Group = "kip848-regex";

        var seen = new ConcurrentDictionary<(string Topic, int Partition, long Offset), int>();
        var member = Member(gateway, Group, seen, "^.*");
        await CommittingMember.WaitAsync(() => seen.Count >= 60, Timeout);
        // Nothing more arrives when waiting a little longer: the private topic is never read.
        await Task.Delay(2000);
        var described = await DescribeAsync(gateway, Group);
        await member.StopAsync();

        Assert.Equal(
            [(ZoneExpectations.WriteAlias, 30), (ZoneExpectations.ReadAlias, 30)],
            seen.Keys.GroupBy(k => k.Topic).Select(g => (g.Key, g.Count())).OrderBy(t => t.Key != ZoneExpectations.WriteAlias));
        Assert.All(seen.Values, n => Assert.Equal(1, n));

        // Each alias committed its own position: topic-a in the zone's group, topic-b in its shadow group.
        Assert.Equal(30, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.UpstreamGroup(Group), GatewayFixture.BackingTopic));
        Assert.Equal(30, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(ZoneExpectations.ReadAlias, Group), GatewayFixture.BackingTopic));

        // The partner's description of its group names its aliases and regex, never a backing topic.
        var described1 = Assert.Single(described.Groups);
        Assert.Equal((Group, (short)0), (described1.GroupId, described1.ErrorCode));
        var self = Assert.Single(described1.Members);
        // librdkafka sends its regexes joined into one, each in parentheses.
        Assert.Equal("(^.*)", self.SubscribedTopicRegex);
        Assert.Equal([ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias], self.Assignment.TopicPartitions.Select(t => t.TopicName));
    }

    [Fact]
    public async Task A_classic_group_and_a_consumer_protocol_group_of_one_zone_read_side_by_side()
    {
        await using var gateway = await StartAsync(1);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "both", 90);

        var classic = new ConcurrentDictionary<(string Topic, int Partition, long Offset), int>();
        var consumer = new ConcurrentDictionary<(string Topic, int Partition, long Offset), int>();
        var members = new[]
        {
            Member(gateway, "side-classic", classic, protocol: GroupProtocol.Classic),
            Member(gateway, "side-consumer", consumer),
        };
        await CommittingMember.WaitAsync(() => classic.Count >= 90 && consumer.Count >= 90, Timeout);
        await Task.WhenAll(members.Select(m => m.StopAsync()));

        Assert.Equal((90, 90), (classic.Count, consumer.Count));
        Assert.Equal(classic.Keys.Order(), consumer.Keys.Order());
        Assert.Equal("classic", await GroupTypeAsync(gateway, ZoneExpectations.UpstreamGroup("side-classic")));
        Assert.Equal("consumer", await GroupTypeAsync(gateway, ZoneExpectations.UpstreamGroup("side-consumer")));
        Assert.Equal(90, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(ZoneExpectations.ReadAlias, "side-classic"), GatewayFixture.BackingTopic));
        Assert.Equal(90, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(ZoneExpectations.ReadAlias, "side-consumer"), GatewayFixture.BackingTopic));
    }

    /// <summary>A cluster serving the consumer group protocol, heartbeats every 500 ms so rebalances
    /// complete within a test, and the example zone's gateway in front of it.</summary>
    private static Task<GatewayFixture> StartAsync(int nodes) =>
        GatewayFixture.StartAsync(nodes, cluster: o => o with { ConsumerGroupProtocol = true, ConsumerGroupHeartbeatIntervalMs = 500 });

    private static CommittingMember Member(
        GatewayFixture gateway, string group, ConcurrentDictionary<(string, int, long), int> seen, string topic = ZoneExpectations.ReadAlias, GroupProtocol protocol = GroupProtocol.Consumer)
    {
        var config = gateway.PartnerEndpoint.Config<ConsumerConfig>();
        config.GroupId = group;
        config.GroupProtocol = protocol;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        if (protocol == GroupProtocol.Classic)
        {
            config.SessionTimeoutMs = 6000;
        }

        return new CommittingMember(config, [topic], seen);
    }

    /// <summary>The group's type as the upstream's ListGroups v5 reports it, from whichever node coordinates it.</summary>
    private static async Task<string?> GroupTypeAsync(GatewayFixture gateway, string upstreamGroup)
    {
        foreach (var endPoint in gateway.Cluster.EndPoints)
        {
            await using var raw = await KafkaWireClient.ConnectAsync(endPoint);
            var listed = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 5);
            if (listed.Groups.FirstOrDefault(g => g.GroupId == upstreamGroup) is { } found)
            {
                return found.GroupType;
            }
        }

        return null;
    }

    /// <summary>The partner's group described through the gateway, at the group's coordinator.</summary>
    private static async Task<ConsumerGroupDescribeResponse> DescribeAsync(GatewayFixture gateway, string group)
    {
        await using var partner = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "describer");
        await partner.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        return await partner.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = [group] }, 1);
    }
}
