using Confluent.Kafka;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>A malformed frame, an unknown API key or an unsupported version closes that connection only,
/// as Kafka does; the node keeps serving everyone else.</summary>
public sealed class MalformedRequestTests
{
    public static TheoryData<string, byte[]> BadFrames() => new()
    {
        // Metadata v12 whose topic array claims two billion entries in a 20-byte body.
        { "array count past the end", [0, 3, 0, 12, 0, 0, 0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0, 0, 0, 0, 0] },
        { "unknown API key", [0x7F, 0x00, 0, 0, 0, 0, 0, 2, 0, 0] },
        { "unsupported version", [0, 3, 0x7F, 0x00, 0, 0, 0, 3, 0, 0] },
        { "header cut short", [0, 3] },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_request_closes_its_connection_and_the_node_serves_others(string what, byte[] body)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await using var wire = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await wire.WriteFrameAsync(body);

        // The node closes the connection without answering.
        var answer = await wire.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        Assert.True(answer.Length == 0, $"{what}: the node answered {answer.Length} bytes instead of closing");

        // Everyone else is still served.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
    }
}
