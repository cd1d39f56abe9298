using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Messages;
using PartnerZones.Resources;
using PartnerZones.Testing.KafkaWire;
using static PartnerZones.Protocol.Messages.ConsumerGroupHeartbeatStructs;

namespace PartnerZones.Gateway.Tests.Routing;

/// <summary>
/// The consumer group protocol (KIP-848) at the wire, through the gateway, with the upstream's own view
/// read directly: a partner's subscription, by names or by regex, reaches the upstream only as the
/// backing topics of the zone's aliases it covers; the assignment comes back per alias under virtual ids;
/// the subscription follows the zone when it changes; and a member the gateway cannot place is asked
/// to rejoin rather than guessed at.
/// </summary>
public sealed class ConsumerProtocolMappingTests
{
    private static readonly Guid TopicA = ZonePolicy.VirtualIdFor(GatewayFixture.ZoneName, "topic-a");
    private static readonly Guid TopicB = ZonePolicy.VirtualIdFor(GatewayFixture.ZoneName, "topic-b");

    [Theory]
    [InlineData("names")]
    [InlineData("regex")]
    public async Task A_subscription_reaches_upstream_as_the_zones_backing_topics_and_is_assigned_per_alias(string kind)
    {
        await using var gateway = await StartAsync();
        await using var partner = await PartnerAsync(gateway);
        var member = Guid.NewGuid().ToString();
        // Every name of the backing cluster, and a regex that matches anything: only the zone's aliases count.
        var joined = kind == "names"
            ? await ConsumerGroupWire.JoinAsync(partner, "g", member, topics: ["topic-a", "topic-b", GatewayFixture.BackingTopic, "private-topic", "missing"])
            : await ConsumerGroupWire.JoinAsync(partner, "g", member, regex: ".*");
        Assert.Equal(0, joined.ErrorCode);
        var assigned = await UntilAssignedAsync(partner, "g", joined);

        // Both aliases of the one backing topic get all of its partitions, each under its own virtual id.
        Assert.Equal(
            [(TopicA, new[] { 0, 1, 2 }), (TopicB, new[] { 0, 1, 2 })],
            assigned.Assignment!.TopicPartitions.Select(t => (t.TopicId, t.Partitions.Order().ToArray())).OrderBy(t => t.TopicId == TopicB));

        // Upstream, the member of the zone's group subscribes the backing topic by name, and nothing else.
        var upstream = await DescribeUpstreamAsync(gateway, "pz.external-partner-zone.g");
        var described = Assert.Single(upstream.Members);
        Assert.Equal([GatewayFixture.BackingTopic], described.SubscribedTopicNames);
        Assert.Null(described.SubscribedTopicRegex);
        Assert.Equal([GatewayFixture.BackingTopic], described.Assignment.TopicPartitions.Select(t => t.TopicName));

        // Described through the gateway, the member is as it subscribed, on the zone's aliases only.
        var mine = await partner.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["g"] }, 1);
        var group = Assert.Single(mine.Groups);
        Assert.Equal(("g", (short)0), (group.GroupId, group.ErrorCode));
        var self = Assert.Single(group.Members);
        Assert.Equal(kind == "names" ? ["topic-a", "topic-b"] : [], self.SubscribedTopicNames);
        Assert.Equal(kind == "names" ? null : ".*", self.SubscribedTopicRegex);
        Assert.Equal([("topic-a", TopicA), ("topic-b", TopicB)], self.Assignment.TopicPartitions.Select(t => (t.TopicName, t.TopicId)));

        // Leaving is forwarded too: the upstream group is left empty.
        var left = await partner.SendAsync<ConsumerGroupHeartbeatResponse>(new ConsumerGroupHeartbeatRequest { GroupId = "g", MemberId = member, MemberEpoch = -1 }, 1);
        Assert.Equal(0, left.ErrorCode);
        Assert.Empty((await DescribeUpstreamAsync(gateway, "pz.external-partner-zone.g")).Members);
    }

    [Fact]
    public async Task Owned_partitions_of_two_aliases_are_one_backing_set_and_ids_outside_the_zone_are_dropped()
    {
        await using var gateway = await StartAsync();
        await using var partner = await PartnerAsync(gateway);
        var joined = await ConsumerGroupWire.JoinAsync(partner, "owned", Guid.NewGuid().ToString(), topics: ["topic-a", "topic-b"]);
        var assigned = await UntilAssignedAsync(partner, "owned", joined);

        // The member reports its partitions under both aliases, plus an id it was never given.
        var backingId = gateway.Gateway.Runtime.TopicIds.IdOf(GatewayFixture.BackingTopic)!.Value;
        var acknowledged = await ConsumerGroupWire.BeatAsync(partner, "owned", assigned.MemberId!, assigned.MemberEpoch,
        [
            new TopicPartitionsData { TopicId = TopicA, Partitions = [0, 1, 2] },
            new TopicPartitionsData { TopicId = TopicB, Partitions = [0, 1, 2] },
            new TopicPartitionsData { TopicId = backingId, Partitions = [0] },
        ]);
        Assert.Equal(0, acknowledged.ErrorCode);
        Assert.Equal(assigned.MemberEpoch, acknowledged.MemberEpoch);
    }

    [Fact]
    public async Task An_invalid_regex_is_refused_and_an_unknown_member_without_its_subscription_is_asked_to_rejoin()
    {
        await using var gateway = await StartAsync();
        await using var partner = await PartnerAsync(gateway);
        var invalid = await ConsumerGroupWire.JoinAsync(partner, "bad", Guid.NewGuid().ToString(), regex: "(unclosed");
        Assert.Equal(128, invalid.ErrorCode); // INVALID_REGULAR_EXPRESSION
        Assert.Contains("(unclosed", invalid.ErrorMessage, StringComparison.Ordinal);

        // A member the gateway has never seen heartbeats at epoch 5 with its subscription "unchanged".
        var unknown = await ConsumerGroupWire.BeatAsync(partner, "bad", Guid.NewGuid().ToString(), 5);
        Assert.Equal(110, unknown.ErrorCode); // FENCED_MEMBER_EPOCH: the client rejoins with its subscription
        Assert.Contains("rejoin", unknown.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_regex_subscription_follows_the_zone_when_an_alias_is_added()
    {
        await using var gateway = await StartAsync();
        var member = Guid.NewGuid().ToString();
        int epoch;
        await using (var partner = await PartnerAsync(gateway))
        {
            var joined = await ConsumerGroupWire.JoinAsync(partner, "follow", member, regex: "topic-.*");
            epoch = (await UntilAssignedAsync(partner, "follow", joined)).MemberEpoch;
        }

        // The zone gains topic-c, on the private topic; the change closes the partner's sessions.
        var state = gateway.Gateway.Runtime.State;
        var zone = Assert.Single(PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone.Replace("  topics:\n", """
              topics:
                - name: topic-c
                  backingTopic: private-topic
                  permission: READ

            """, StringComparison.Ordinal), "zone"));
        gateway.Gateway.Runtime.Swap(new GatewayState([zone], state.Accounts, state.Credentials));

        // The member comes back on a new connection with its subscription "unchanged", as clients do.
        await using var again = await PartnerAsync(gateway);
        var topicC = ZonePolicy.VirtualIdFor(GatewayFixture.ZoneName, "topic-c");
        var beat = await ConsumerGroupWire.BeatAsync(again, "follow", member, epoch);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (beat.ErrorCode == 0 && beat.Assignment?.TopicPartitions.Any(t => t.TopicId == topicC) != true && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            beat = beat.Assignment is null
                ? await ConsumerGroupWire.BeatAsync(again, "follow", member, beat.MemberEpoch)
                : await ConsumerGroupWire.AckAsync(again, "follow", beat);
        }

        Assert.Equal(0, beat.ErrorCode);
        Assert.Contains(topicC, beat.Assignment!.TopicPartitions.Select(t => t.TopicId));
        var upstream = Assert.Single((await DescribeUpstreamAsync(gateway, "pz.external-partner-zone.follow")).Members);
        Assert.Equal([GatewayFixture.BackingTopic, "private-topic"], upstream.SubscribedTopicNames);
    }

    private static Task<GatewayFixture> StartAsync() =>
        GatewayFixture.StartAsync(1, cluster: o => o with { ConsumerGroupProtocol = true, ConsumerGroupHeartbeatIntervalMs = 200 });

    private static async Task<KafkaWireClient> PartnerAsync(GatewayFixture gateway)
    {
        var client = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "kip848-wire");
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        return client;
    }

    /// <summary>Heartbeats, acknowledging each assignment, until one assigns partitions (or 20 s pass).</summary>
    private static async Task<ConsumerGroupHeartbeatResponse> UntilAssignedAsync(KafkaWireClient partner, string group, ConsumerGroupHeartbeatResponse last)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (ConsumerGroupWire.Count(last) == 0 && DateTime.UtcNow < deadline)
        {
            Assert.Equal(0, last.ErrorCode);
            await Task.Delay(200);
            last = await ConsumerGroupWire.AckAsync(partner, group, last);
        }

        Assert.True(ConsumerGroupWire.Count(last) > 0, "no partitions were assigned");
        return last;
    }

    private static async Task<ConsumerGroupDescribeResponse.DescribedGroup> DescribeUpstreamAsync(GatewayFixture gateway, string group)
    {
        await using var upstream = await KafkaWireClient.ConnectAsync(gateway.Cluster.BootstrapServers.Split(',')[0]);
        var described = await upstream.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = [group] }, 1);
        var found = Assert.Single(described.Groups);
        Assert.Equal(0, found.ErrorCode);
        return found;
    }
}
