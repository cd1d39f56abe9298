using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.State;

namespace PartnerZones.Gateway.Tests.StateSharing;

/// <summary>The gateway creates its topics with the right configs, under the configured names, and refuses a
/// state topic that would lose state.</summary>
public sealed class StateTopicTests
{
    [Fact]
    public async Task Missing_topics_are_created_compacted_under_the_configured_names()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        var (gateway, _) = await GatewayInstance.StartAsync(cluster, adjust: spec => spec with
        {
            State = spec.State with { Topic = "team-a.gateway-state", AuditTopic = "team-a.gateway-audit", AuditRetentionMs = 3_600_000 },
        });
        await using (gateway)
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
            var state = admin.GetMetadata("team-a.gateway-state", TimeSpan.FromSeconds(10)).Topics.Single();
            Assert.Single(state.Partitions);
            var configs = await admin.DescribeConfigsAsync([
                new ConfigResource { Type = ResourceType.Topic, Name = "team-a.gateway-state" },
                new ConfigResource { Type = ResourceType.Topic, Name = "team-a.gateway-audit" },
            ]);
            Assert.Equal("compact", configs[0].Entries["cleanup.policy"].Value);
            Assert.Equal("delete", configs[1].Entries["cleanup.policy"].Value);
            Assert.Equal("3600000", configs[1].Entries["retention.ms"].Value);
        }
    }

    [Fact]
    public async Task An_existing_state_topic_that_is_not_compacted_stops_the_start_and_says_what_to_change()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([
                new TopicSpecification { Name = "__pz_gateway_state", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["cleanup.policy"] = "delete" } },
                new TopicSpecification { Name = "three-partitions", NumPartitions = 3, ReplicationFactor = 1, Configs = new() { ["cleanup.policy"] = "compact" } },
            ]);
        }

        var error = await Assert.ThrowsAsync<StateStoreException>(() => GatewayInstance.StartAsync(cluster));
        Assert.Contains("cleanup.policy=delete", error.Message);
        Assert.Contains("must be compact", error.Message);

        error = await Assert.ThrowsAsync<StateStoreException>(() => GatewayInstance.StartAsync(cluster, adjust: spec => spec with { State = spec.State with { Topic = "three-partitions" } }));
        Assert.Contains("has 3 partitions; it must have exactly 1", error.Message);
    }
}
