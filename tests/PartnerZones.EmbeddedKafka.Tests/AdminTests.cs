using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>Topic administration through Confluent.Kafka's AdminClient.</summary>
public sealed class AdminTests
{
    [Fact]
    public async Task Topics_are_created_spread_over_nodes_described_and_deleted()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        await admin.CreateTopicsAsync([
            new TopicSpecification { Name = "orders", NumPartitions = 6, ReplicationFactor = 3, Configs = new() { ["retention.ms"] = "1000" } },
        ]);

        var topic = Assert.Single(admin.GetMetadata("orders", TimeSpan.FromSeconds(10)).Topics);
        Assert.Equal(6, topic.Partitions.Count);
        Assert.Equal(3, topic.Partitions.Select(p => p.Leader).Distinct().Count());

        var configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "orders" }]);
        Assert.Equal("1000", configs[0].Entries["retention.ms"].Value);
        Assert.Equal("delete", configs[0].Entries["cleanup.policy"].Value);

        var duplicate = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, duplicate.Results[0].Error.Code);

        var tooMany = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "wide", NumPartitions = 1, ReplicationFactor = 4 }]));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, tooMany.Results[0].Error.Code);

        var illegal = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "bad name!", NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicException, illegal.Results[0].Error.Code);

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "orders", IncreaseTo = 8 }]);
        Assert.Equal(8, admin.GetMetadata("orders", TimeSpan.FromSeconds(10)).Topics[0].Partitions.Count);

        await admin.DeleteTopicsAsync(["orders"]);
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic == "orders");
    }
}
