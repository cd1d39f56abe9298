using System.Buffers.Binary;
using System.Net.Sockets;
using Confluent.Kafka;

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
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(cluster.EndPoints[0]);
        var frame = new byte[body.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        await socket.SendAsync(frame);

        // The node closes the connection without answering.
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.True(read == 0, $"{what}: the node answered {read} bytes instead of closing");

        // Everyone else is still served.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
    }
}
