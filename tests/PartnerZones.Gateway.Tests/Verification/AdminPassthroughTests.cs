using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// An admin account (the passthrough virtual cluster) through the gateway, on one upstream node and on
/// three: it sees and does everything on the backing cluster, unchanged — real topic names, topics it
/// creates and deletes, records it writes and reads, and a consumer group known upstream by exactly the
/// id it chose — while every broker address it is given is the gateway's.
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class AdminPassthroughTests
{
    private const int Count = 30;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task The_admin_account_sees_and_does_everything_on_the_backing_cluster_unchanged(int nodes)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(nodes, autoCreateTopics: false, createBackingTopic: true);
        var marker = $"admin-{Guid.NewGuid():N}";
        const string Created = "admin-made-topic";
        const string Group = "admin-readers";

        using (var admin = new AdminClientBuilder(gateway.Admin.Config<AdminClientConfig>()).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Created, NumPartitions = 2, ReplicationFactor = 1 }]);
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(20));
            Assert.Contains(metadata.Topics, t => t.Topic == GatewayFixture.BackingTopic && t.Partitions.Count == GatewayFixture.BackingPartitions);
            Assert.Contains(metadata.Topics, t => t.Topic == Created);
            Assert.DoesNotContain(metadata.Topics, t => t.Topic is "topic-a" or "topic-b");
            var gatewayPorts = gateway.Gateway.Runtime.Brokers.NodeIds.Select(gateway.GatewayPort).ToHashSet();
            Assert.Equal(nodes, metadata.Brokers.Count);
            Assert.All(metadata.Brokers, b => Assert.Contains(b.Port, gatewayPorts));
        }

        Assert.Contains(Created, gateway.UpstreamTopics());

        var config = gateway.Admin.Config<ProducerConfig>();
        config.Acks = Acks.All;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < Count; i++)
            {
                var delivered = await producer.ProduceAsync(new TopicPartition(GatewayFixture.BackingTopic, i % GatewayFixture.BackingPartitions), new Message<string, string> { Key = $"k{i}", Value = $"{marker}-{i}" });
                Assert.Equal(GatewayFixture.BackingTopic, delivered.Topic);
            }
        }

        Assert.Equal(Count, ReferenceClient.ReadAll(gateway.Upstream, GatewayFixture.BackingTopic).Count(r => r.Value.StartsWith(marker, StringComparison.Ordinal)));

        var consumerConfig = gateway.Admin.Config<ConsumerConfig>();
        consumerConfig.GroupId = Group;
        consumerConfig.AutoOffsetReset = AutoOffsetReset.Earliest;
        consumerConfig.EnableAutoCommit = false;
        consumerConfig.SessionTimeoutMs = 6000;
        using (var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build())
        {
            consumer.Subscribe(GatewayFixture.BackingTopic);
            var received = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (received < Count && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
                {
                    Assert.Equal(GatewayFixture.BackingTopic, result.Topic);
                    received++;
                }
            }

            Assert.Equal(Count, received);
            consumer.Commit();
            consumer.Close();
        }

        // Upstream the group is the admin's own id, with no zone prefix.
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.Upstream, Group, GatewayFixture.BackingTopic));
        using (var admin = new AdminClientBuilder(gateway.Admin.Config<AdminClientConfig>()).Build())
        {
            Assert.Contains((await admin.ListConsumerGroupsAsync()).Valid, g => g.GroupId == Group);
            await admin.DeleteTopicsAsync([Created]);
        }

        var gone = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (gateway.UpstreamTopics().Contains(Created) && DateTime.UtcNow < gone)
        {
            await Task.Delay(200);
        }

        Assert.DoesNotContain(Created, gateway.UpstreamTopics());
    }
}
