using Confluent.Kafka;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>librdkafka (through Confluent.Kafka) negotiates versions and reads cluster metadata.</summary>
public sealed class MetadataTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Admin_client_sees_every_node(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));

        Assert.Equal(nodes, metadata.Brokers.Count);
        Assert.Equal(cluster.EndPoints.Select(e => e.Port).Order(), metadata.Brokers.Select(b => b.Port).Order());
        Assert.Empty(metadata.Topics);
    }
}
