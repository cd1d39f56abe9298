using PartnerZones.Gateway.Tests.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// Clients that leave while their request is still upstream take it with them: the gateway's count of
/// requests in flight upstream (each of which holds a response buffer once answered) returns to its
/// start, on /metrics too, together with the client and upstream connection counts. The fetches
/// long-poll for 30 s, so only their owners leaving can end them within the few seconds allowed.
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class DisconnectBufferTests
{
    private const int Clients = 20;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Requests_in_flight_upstream_return_to_their_start_when_their_clients_disconnect()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        var metrics = gateway.Gateway.Runtime.Metrics;
        var (inFlight, connections, upstream) = (metrics.UpstreamRequestsInFlight, metrics.OpenConnections, metrics.OpenUpstreamConnections);

        var clients = new List<KafkaWireClient>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var client = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers, "walks-away");
                clients.Add(client);
                await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
                await client.WriteAsync(client.Frame(LongPoll(i % GatewayFixture.BackingPartitions), 12, client.NextCorrelationId()));
            }

            await EventuallyAsync(() => metrics.UpstreamRequestsInFlight >= inFlight + Clients, () => $"{metrics.UpstreamRequestsInFlight} requests in flight, expected {inFlight + Clients}");
        }
        finally
        {
            for (var i = 0; i < clients.Count; i++)
            {
                if (i % 2 == 0)
                {
                    clients[i].Reset();
                }

                await clients[i].DisposeAsync();
            }
        }

        await EventuallyAsync(
            () => metrics.UpstreamRequestsInFlight == inFlight && metrics.OpenConnections == connections && metrics.OpenUpstreamConnections == upstream,
            () => $"{metrics.UpstreamRequestsInFlight} requests in flight (start {inFlight}), {metrics.OpenConnections} connections (start {connections}), {metrics.OpenUpstreamConnections} upstream (start {upstream})");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        Assert.Contains($"\npz_gateway_upstream_requests_in_flight {inFlight}\n", await http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    /// <summary>A fetch at the end of an empty partition: the upstream holds it for its full max wait.</summary>
    private static FetchRequest LongPoll(int partition) => new()
    {
        MaxWaitMs = 30_000,
        MinBytes = 1,
        MaxBytes = 1024 * 1024,
        Topics = [new FetchRequest.FetchTopic
        {
            Topic = "topic-b",
            Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = 0, PartitionMaxBytes = 1024 * 1024 }],
        }],
    };

    private static async Task EventuallyAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + Settle;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, describe());
            await Task.Delay(50);
        }
    }
}
