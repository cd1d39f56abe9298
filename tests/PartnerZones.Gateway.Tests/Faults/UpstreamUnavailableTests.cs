using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>
/// No upstream, or an upstream that goes away: the gateway says so clearly at start-up, and partner
/// requests fail with errors or closed connections instead of hanging.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class UpstreamUnavailableTests
{
    [Fact]
    public async Task Start_fails_with_an_upstream_exception_naming_every_bootstrap_server_when_none_listens()
    {
        var servers = $"127.0.0.1:{FaultHarness.ClosedPort()},127.0.0.1:{FaultHarness.ClosedPort()}";
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<UpstreamException>(() => GatewayHost.StartAsync(Config(servers), GatewayState.Empty));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Failing took {clock.Elapsed}.");
        foreach (var server in servers.Split(','))
        {
            Assert.Contains(server, error.Message);
        }

        Assert.Contains("bootstrapServers", error.Message);
    }

    [Fact]
    public async Task Start_fails_within_the_connect_timeout_when_the_upstream_accepts_but_never_answers()
    {
        // The kernel completes the handshake for a listening socket nobody reads from: a hung broker.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var server = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<UpstreamException>(() => GatewayHost.StartAsync(Config(server), GatewayState.Empty));

        Assert.True(clock.Elapsed < UpstreamConnection.ConnectTimeout + TimeSpan.FromSeconds(10), $"Failing took {clock.Elapsed}.");
        Assert.Contains(server, error.Message);
        Assert.Contains("no answer", error.Message);
    }

    [Fact]
    public async Task Partner_requests_fail_promptly_when_the_whole_upstream_cluster_goes_away()
    {
        await using var harness = await FaultHarness.StartAsync(nodes: 1);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig(harness.Partner()) { Acks = Acks.All, MessageTimeoutMs = 5_000 }).Build();
        await producer.ProduceAsync(FaultHarness.WriteAlias, new Message<string, string> { Key = "k", Value = "before" });
        Assert.True(harness.Metrics.OpenUpstreamConnections > 0);

        await harness.StopClusterAsync();

        // A connection whose upstream went away is closed without waiting for the client to speak.
        Assert.True(await harness.ConnectionsSettleAsync(0, 0, TimeSpan.FromSeconds(10)),
            $"{harness.Metrics.OpenConnections} client and {harness.Metrics.OpenUpstreamConnections} upstream connections stayed open.");
        Assert.True(harness.Metrics.UpstreamErrors > 0);

        // Login is the gateway's own business and still works; the first request needing the upstream closes the connection.
        await using (var wire = await KafkaWireClient.ConnectAsync($"127.0.0.1:{harness.BootstrapPort}"))
        {
            await wire.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
            await wire.WriteRequestAsync(new MetadataRequest { Topics = null }, 12);
            Assert.True(await wire.ClosedWithinAsync(TimeSpan.FromSeconds(10)), "The gateway left a request hanging.");
        }

        // Real clients get errors within their own timeouts.
        var clock = Stopwatch.StartNew();
        var failed = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync(FaultHarness.WriteAlias, new Message<string, string> { Key = "k", Value = "after" }));
        Assert.True(failed.Error.IsError);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"The produce failed only after {clock.Elapsed}.");

        using var admin = new AdminClientBuilder(harness.Partner()).Build();
        clock.Restart();
        Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Metadata failed only after {clock.Elapsed}.");
    }

    private static GatewayConfig Config(string bootstrapServers) => new()
    {
        Spec = new GatewaySpec
        {
            Upstream = new UpstreamConfig { BootstrapServers = bootstrapServers },
            Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = FaultHarness.ClosedPort(), BrokerPortBase = FaultHarness.ClosedPort() },
        },
    };
}
