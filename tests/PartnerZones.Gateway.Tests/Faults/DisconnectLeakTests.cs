using System.Diagnostics;
using Confluent.Kafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>
/// Clients that vanish in the middle of a request leave nothing behind: the gateway's client connections
/// and the upstream connections it opened for them return to their starting counts within seconds.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DisconnectLeakTests
{
    private const int Clients = 25;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Connections_that_close_inside_a_frame_before_and_after_login_leak_nothing()
    {
        await using var harness = await FaultHarness.StartAsync(nodes: 1);
        var (clients, upstream) = (harness.Metrics.OpenConnections, harness.Metrics.OpenUpstreamConnections);

        var wires = new List<KafkaWireClient>();
        for (var i = 0; i < Clients; i++)
        {
            // Half a frame before login: the gateway holds a partial frame and no upstream connection.
            var stranger = await KafkaWireClient.ConnectAsync($"127.0.0.1:{harness.BootstrapPort}");
            await stranger.WriteFrameAsync(new byte[200 / 2], declaredSize: 200); // half a frame
            wires.Add(stranger);

            // Half a frame after a request that opened an upstream connection.
            var partner = await KafkaWireClient.ConnectAsync($"127.0.0.1:{harness.BootstrapPort}");
            await partner.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
            await partner.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
            await partner.WriteFrameAsync(new byte[4000 / 2], declaredSize: 4000); // half a frame
            wires.Add(partner);
        }

        Assert.True(await harness.ConnectionsSettleAsync(clients + (2 * Clients), upstream + Clients, Settle),
            $"Expected {2 * Clients} client and {Clients} upstream connections open; {Counts(harness)}.");

        for (var i = 0; i < wires.Count; i++)
        {
            if (i % 2 == 0)
            {
                wires[i].Reset();
            }

            await wires[i].DisposeAsync();
        }

        await AssertSettledAsync(harness, clients, upstream);
    }

    [Fact]
    public async Task Clients_that_close_during_a_long_poll_fetch_leak_nothing_and_do_not_wait_for_it()
    {
        await using var harness = await FaultHarness.StartAsync(nodes: 1);
        var (clients, upstream) = (harness.Metrics.OpenConnections, harness.Metrics.OpenUpstreamConnections);

        // The setup holds: an empty partition makes the upstream wait the full max wait.
        await using (var probe = await KafkaWireClient.ConnectAsync($"127.0.0.1:{harness.BootstrapPort}"))
        {
            await probe.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
            var clock = Stopwatch.StartNew();
            var answer = await probe.SendAsync<FetchResponse>(LongPoll(maxWaitMs: 1500), 12);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"The fetch returned after {clock.Elapsed}; it should have waited.");
            Assert.Equal(0, Assert.Single(Assert.Single(answer.Responses).Partitions).ErrorCode);
        }

        var wires = new List<KafkaWireClient>();
        for (var i = 0; i < Clients; i++)
        {
            var wire = await KafkaWireClient.ConnectAsync($"127.0.0.1:{harness.BootstrapPort}");
            await wire.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
            await wire.WriteRequestAsync(LongPoll(maxWaitMs: 30_000), 12);
            wires.Add(wire);
        }

        // Every fetch reached the upstream connection it waits on.
        Assert.True(await harness.ConnectionsSettleAsync(clients + Clients, upstream + Clients, Settle), Counts(harness));
        var closing = Stopwatch.StartNew();
        for (var i = 0; i < wires.Count; i++)
        {
            if (i % 2 == 0)
            {
                wires[i].Reset();
            }

            await wires[i].DisposeAsync();
        }

        // Well inside the fetches' 30 s max wait.
        await AssertSettledAsync(harness, clients, upstream);
        Assert.True(closing.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Clients_that_close_right_after_a_produce_leak_nothing()
    {
        await using var harness = await FaultHarness.StartAsync(nodes: 1);
        var (clients, upstream) = (harness.Metrics.OpenConnections, harness.Metrics.OpenUpstreamConnections);

        var produces = new List<Task>();
        for (var i = 0; i < Clients; i++)
        {
            var number = i;
            produces.Add(Task.Run(async () =>
            {
                var wire = await KafkaWireClient.ConnectAsync($"127.0.0.1:{harness.BootstrapPort}");
                await wire.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
                await wire.WriteRequestAsync(new ProduceRequest
                {
                    Acks = -1,
                    TimeoutMs = 10_000,
                    TopicData = [new ProduceRequest.TopicProduceData
                    {
                        Name = FaultHarness.WriteAlias,
                        PartitionData = [new ProduceRequest.PartitionProduceData { Index = number % FaultHarness.Partitions, Records = TestRecordBatches.Values($"walked-away-{number}", 20) }],
                    }],
                }, 9);
                if (number % 2 == 0)
                {
                    wire.Reset();
                }

                await wire.DisposeAsync();
            }));
        }

        await Task.WhenAll(produces);
        await AssertSettledAsync(harness, clients, upstream);
    }

    private static FetchRequest LongPoll(int maxWaitMs) => new()
    {
        ReplicaId = -1,
        MaxWaitMs = maxWaitMs,
        MinBytes = 1,
        MaxBytes = 1024 * 1024,
        Topics = [new FetchRequest.FetchTopic
        {
            Topic = FaultHarness.ReadAlias,
            Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1024 * 1024 }],
        }],
    };

    /// <summary>Counts return to where they started, /metrics says so too, no upstream failure was counted,
    /// and the gateway still serves.</summary>
    private static async Task AssertSettledAsync(FaultHarness harness, long clients, long upstream)
    {
        Assert.True(await harness.ConnectionsSettleAsync(clients, upstream, Settle), $"Connections leaked: {Counts(harness)}; expected {clients} and {upstream}.");
        var metrics = await harness.MetricsTextAsync();
        Assert.Contains($"\npz_gateway_upstream_connections {upstream}\n", metrics);
        Assert.Contains($"\npz_gateway_open_connections {clients}\n", metrics);

        // Clients leaving is not the upstream failing.
        Assert.Equal(0, harness.Metrics.UpstreamErrors);

        using var admin = new AdminClientBuilder(harness.Partner()).Build();
        Assert.Equal(2, admin.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Count);
    }

    private static string Counts(FaultHarness harness) =>
        $"{harness.Metrics.OpenConnections} client and {harness.Metrics.OpenUpstreamConnections} upstream connections open";
}
