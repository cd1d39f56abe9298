using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace PartnerZones.Gateway.Tests;

/// <summary>What a partner sees through the gateway, with librdkafka (Confluent.Kafka).</summary>
public sealed class PartnerViewTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public void Partner_lists_exactly_its_aliases_with_the_backing_partitions_and_gateway_addresses()
    {
        using var admin = new AdminClientBuilder(fixture.Partner()).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(15));

        Assert.Equal(["topic-a", "topic-b"], metadata.Topics.Select(t => t.Topic).Order());
        Assert.All(metadata.Topics, t => Assert.Equal(3, t.Partitions.Count));
        var upstreamPorts = fixture.Cluster.EndPoints.Select(e => e.Port).ToHashSet();
        Assert.All(metadata.Brokers, b => Assert.DoesNotContain(b.Port, upstreamPorts));
        Assert.NotEqual("pz-embedded-cluster", metadata.OriginatingBrokerName);
    }

    [Fact]
    public async Task Records_produced_to_the_write_alias_land_in_the_backing_topic_and_reach_a_group_on_the_read_alias()
    {
        var marker = Guid.NewGuid().ToString("N");
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig(fixture.Partner()) { Acks = Acks.All }).Build())
        {
            for (var i = 0; i < 50; i++)
            {
                await producer.ProduceAsync("topic-a", new Message<string, string> { Key = $"k{i}", Value = $"{marker}-{i}" });
            }
        }

        // An admin reads the backing topic directly from the cluster.
        var direct = ConsumeMarker(new ConsumerConfig { BootstrapServers = fixture.Cluster.BootstrapServers, GroupId = "direct-" + marker, AutoOffsetReset = AutoOffsetReset.Earliest }, "kafka-topic-a", marker, 50);
        Assert.Equal(50, direct.Count);

        var groupId = "partner-group-" + marker;
        var viaGateway = ConsumeMarker(new ConsumerConfig(fixture.Partner()) { GroupId = groupId, AutoOffsetReset = AutoOffsetReset.Earliest }, "topic-b", marker, 50);
        Assert.Equal(50, viaGateway.Count);
        Assert.All(viaGateway, r => Assert.Equal("topic-b", r.Topic));

        // Upstream the group id carries the zone's prefix.
        using var upstreamAdmin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.Cluster.BootstrapServers }).Build();
        var groups = await upstreamAdmin.ListConsumerGroupsAsync();
        Assert.Contains(groups.Valid, g => g.GroupId == $"pz.{GatewayFixture.ZoneName}.{groupId}");
        Assert.DoesNotContain(groups.Valid, g => g.GroupId == groupId);

        // The partner sees its own group id, and only its own groups.
        using var partnerAdmin = new AdminClientBuilder(fixture.Partner()).Build();
        var partnerGroups = await partnerAdmin.ListConsumerGroupsAsync();
        Assert.Contains(partnerGroups.Valid, g => g.GroupId == groupId);
        Assert.DoesNotContain(partnerGroups.Valid, g => g.GroupId.StartsWith("direct-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Producing_to_the_read_alias_is_a_topic_authorization_error()
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig(fixture.Partner()) { MessageTimeoutMs = 10000 }).Build();
        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync("topic-b", new Message<string, string> { Key = "k", Value = "v" }));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, error.Error.Code);
    }

    [Fact]
    public async Task Backing_and_foreign_topic_names_do_not_exist_for_the_partner()
    {
        using var admin = new AdminClientBuilder(fixture.Partner()).Build();
        foreach (var name in new[] { "kafka-topic-a", "private-topic" })
        {
            var topic = Assert.Single(admin.GetMetadata(name, TimeSpan.FromSeconds(10)).Topics);
            Assert.Equal(ErrorCode.UnknownTopicOrPart, topic.Error.Code);
        }

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig(fixture.Partner()) { MessageTimeoutMs = 5000 }).Build();
        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync("private-topic", new Message<string, string> { Key = "k", Value = "v" }));
        Assert.Contains(error.Error.Code, new[] { ErrorCode.UnknownTopicOrPart, ErrorCode.Local_UnknownTopic, ErrorCode.Local_MsgTimedOut });

        // Nothing was auto-created upstream.
        using var upstreamAdmin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.Cluster.BootstrapServers }).Build();
        Assert.Equal(["kafka-topic-a", "private-topic"], upstreamAdmin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).Where(t => !t.StartsWith("__", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task Administrative_requests_are_refused_with_authorization_errors()
    {
        using var admin = new AdminClientBuilder(fixture.Partner()).Build();
        var create = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "new-topic", NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, create.Results[0].Error.Code);

        var delete = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["topic-a"]));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, delete.Results[0].Error.Code);
    }

    [Fact]
    public void Wrong_password_fails_authentication()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(fixture.Partner("wrong-password"))).Build();
        var error = Assert.Throws<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(5)));
        Assert.Contains(error.Error.Code, new[] { ErrorCode.SaslAuthenticationFailed, ErrorCode.Local_Authentication, ErrorCode.Local_Transport, ErrorCode.Local_AllBrokersDown, ErrorCode.Local_TimedOut });
    }

    [Fact]
    public void Admin_sees_the_backing_cluster_unchanged_but_through_gateway_addresses()
    {
        using var admin = new AdminClientBuilder(fixture.Admin()).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(15));
        Assert.Contains(metadata.Topics, t => t.Topic == "kafka-topic-a");
        Assert.Contains(metadata.Topics, t => t.Topic == "private-topic");
        var upstreamPorts = fixture.Cluster.EndPoints.Select(e => e.Port).ToHashSet();
        Assert.All(metadata.Brokers, b => Assert.DoesNotContain(b.Port, upstreamPorts));
    }

    private static List<ConsumeResult<string, string>> ConsumeMarker(ConsumerConfig config, string topic, string marker, int count)
    {
        config.EnableAutoCommit = true;
        config.SessionTimeoutMs = 6000;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(250));
            if (result?.Message?.Value?.StartsWith(marker, StringComparison.Ordinal) == true)
            {
                results.Add(result);
            }
        }

        consumer.Close();
        return results;
    }
}
