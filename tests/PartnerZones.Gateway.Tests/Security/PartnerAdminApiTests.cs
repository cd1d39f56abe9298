using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Routing.Zone;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// Administrative reads a partner's Confluent.Kafka AdminClient sends, once offered before login, are
/// served after it in zone terms (DESIGN §11): DescribeConfigs of an alias is the backing topic's config,
/// of anything else an error as Kafka gives it; OffsetDelete works on the partner's own group, alias by
/// alias where each keeps its offsets (topic-a commits into the partner's group, topic-b, a second alias
/// of the same backing topic, into its shadow group). Transactions and producers, which this client
/// cannot ask for, are in <see cref="PartnerTransactionViewTests"/>.
/// </summary>
public sealed class PartnerAdminApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private GatewayFixture _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayFixture.StartAsync(1);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task DescribeConfigs_of_an_alias_is_the_backing_topics_config_under_the_alias()
    {
        using var partner = PartnerAdmin();
        using var upstream = new AdminClientBuilder(_gateway.UpstreamEndpoint.Config<AdminClientConfig>()).Build();

        var asPartner = Assert.Single(await partner.DescribeConfigsAsync([Topic("topic-b")], Options()));
        var direct = Assert.Single(await upstream.DescribeConfigsAsync([Topic(GatewayFixture.BackingTopic)], Options()));

        Assert.Equal("topic-b", asPartner.ConfigResource.Name);
        Assert.NotEmpty(asPartner.Entries);
        Assert.Equal(
            direct.Entries.Values.Where(e => !e.IsSensitive).Select(e => (e.Name, e.Value, e.Source)).Order(),
            asPartner.Entries.Values.Select(e => (e.Name, e.Value, e.Source)).Order());
    }

    [Fact]
    public async Task DescribeConfigs_of_a_broker_is_a_cluster_authorization_error_and_of_a_topic_outside_the_zone_unknown()
    {
        using var partner = PartnerAdmin();

        var broker = await Assert.ThrowsAsync<DescribeConfigsException>(() => partner.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "0" }], Options()));
        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, Assert.Single(broker.Results).Error.Code);

        var outside = await Assert.ThrowsAsync<DescribeConfigsException>(() => partner.DescribeConfigsAsync([Topic(GatewayFixture.BackingTopic), Topic("private-topic")], Options()));
        Assert.All(outside.Results, r => Assert.Equal(ErrorCode.UnknownTopicOrPart, r.Error.Code));
    }

    [Fact]
    public async Task OffsetDelete_deletes_the_partners_own_offsets_where_each_alias_keeps_them()
    {
        const string Group = "cleanup-grp";
        using var partner = PartnerAdmin();
        var all = Enumerable.Range(0, GatewayFixture.BackingPartitions).SelectMany(p => new[] { new TopicPartition("topic-a", p), new TopicPartition("topic-b", p) }).ToList();
        await partner.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(Group, [.. all.Select((tp, i) => new TopicPartitionOffset(tp, 10 + i))])]);

        await partner.DeleteConsumerGroupOffsetsAsync(Group, [new TopicPartition("topic-a", 0), new TopicPartition("topic-b", 1)], new DeleteConsumerGroupOffsetsOptions { RequestTimeout = Timeout });

        var left = Assert.Single(await partner.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(Group, all)])).Partitions
            .ToDictionary(p => (p.Topic, p.Partition.Value), p => p.Offset.Value);
        Assert.Equal(Offset.Unset.Value, left[("topic-a", 0)]);
        Assert.Equal(Offset.Unset.Value, left[("topic-b", 1)]);
        Assert.Equal(12, left[("topic-a", 1)]);
        Assert.Equal(11, left[("topic-b", 0)]);

        // Upstream: topic-a's offset went from the partner's group, topic-b's from its shadow group only.
        var zone = new ZonePolicy(Assert.Single(Resources.PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "example")));
        var primary = await ReferenceClient.CommittedAsync(_gateway.UpstreamEndpoint, zone.Namespaced(Group), GatewayFixture.BackingTopic);
        var shadow = await ReferenceClient.CommittedAsync(_gateway.UpstreamEndpoint, AliasOffsets.ShadowGroup(zone, zone.ByAlias["topic-b"], Group), GatewayFixture.BackingTopic);
        Assert.Equal([Offset.Unset.Value, 12, 14], primary.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal([11, Offset.Unset.Value, 15], shadow.OrderBy(p => p.Key).Select(p => p.Value));
    }

    [Fact]
    public async Task OffsetDelete_refuses_names_outside_the_zone_and_aliases_the_group_consumes()
    {
        const string Group = "live-grp";
        using var partner = PartnerAdmin();
        var config = _gateway.PartnerEndpoint.Config<ConsumerConfig>();
        config.GroupId = Group;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        consumer.Subscribe("topic-b");
        await WaitForAsync(() => consumer.Consume(TimeSpan.FromMilliseconds(200)) is var _ && consumer.Assignment.Count > 0);
        consumer.Commit([new TopicPartitionOffset("topic-b", 0, 3)]);

        // topic-b keeps its offsets in a shadow group without members: only the gateway can see that the
        // partner's group consumes it, and answers as Kafka does for a consumed topic.
        var consumed = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() => partner.DeleteConsumerGroupOffsetsAsync(
            Group, [new TopicPartition("topic-b", 0)], new DeleteConsumerGroupOffsetsOptions { RequestTimeout = Timeout }));
        Assert.Equal(ErrorCode.GroupSubscribedToTopic, Assert.Single(consumed.Result.Partitions).Error.Code);

        consumer.Close();
        var outside = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() => partner.DeleteConsumerGroupOffsetsAsync(
            Group, [new TopicPartition("private-topic", 0), new TopicPartition(GatewayFixture.BackingTopic, 0)], new DeleteConsumerGroupOffsetsOptions { RequestTimeout = Timeout }));
        Assert.All(outside.Result.Partitions, p => Assert.Equal(ErrorCode.UnknownTopicOrPart, p.Error.Code));

        // The offset the consumer committed is still there.
        var kept = Assert.Single(await partner.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(Group, [new TopicPartition("topic-b", 0)])]));
        Assert.Equal(3, Assert.Single(kept.Partitions).Offset.Value);
    }

    private IAdminClient PartnerAdmin() => new AdminClientBuilder(_gateway.PartnerEndpoint.Config<AdminClientConfig>()).Build();

    private static ConfigResource Topic(string name) => new() { Type = ResourceType.Topic, Name = name };

    private static DescribeConfigsOptions Options() => new() { RequestTimeout = Timeout };

    private static async Task WaitForAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the consumer was not given partitions in time.");
            await Task.Delay(50);
        }
    }
}
