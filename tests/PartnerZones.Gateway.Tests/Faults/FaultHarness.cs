using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Resources;
using PartnerZones.Testing;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>
/// An embedded cluster and a gateway (the example zone) owned by one test, so the test may restart an
/// upstream node, restart the gateway on the same ports, or take the whole cluster away.
/// </summary>
internal sealed class FaultHarness : IAsyncDisposable
{
    public const string BackingTopic = "kafka-topic-a";
    public const string WriteAlias = "topic-a";
    public const string ReadAlias = "topic-b";
    public const int Partitions = 3;

    private readonly GatewayConfig _config;
    private readonly GatewayState _state;
    private bool _clusterStopped;

    private FaultHarness(EmbeddedCluster cluster, GatewayConfig config, GatewayState state, int httpPort)
    {
        Cluster = cluster;
        _config = config;
        _state = state;
        HttpPort = httpPort;
    }

    public EmbeddedCluster Cluster { get; }

    public GatewayHost Gateway { get; private set; } = null!;

    public GatewayMetrics Metrics => Gateway.Runtime.Metrics;

    public int HttpPort { get; }

    public int BootstrapPort => _config.Spec.Listener.BootstrapPort;

    public static async Task<FaultHarness> StartAsync(int nodes)
    {
        var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        try
        {
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = BackingTopic, NumPartitions = Partitions, ReplicationFactor = 1 }]);
            }

            var zone = Assert.Single(PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "example"));
            var state = new GatewayState(
                [zone],
                [new ServiceAccount { Metadata = new ResourceMetadata { Name = "johndoe" }, Spec = new ServiceAccountSpec { Type = "PARTNER" } }],
                [new PartnerZones.Gateway.Configuration.Credential
                {
                    Metadata = new ResourceMetadata { Name = "johndoe-1" },
                    Spec = new CredentialSpec { ServiceAccount = "johndoe", SecretHash = SecretHash.Hash(GatewayFixture.PartnerSecret) },
                }]);
            var basePort = LoopbackPorts.FreeRange(2 + nodes);
            var config = new GatewayConfig
            {
                Spec = new GatewaySpec
                {
                    Upstream = new UpstreamConfig { BootstrapServers = cluster.BootstrapServers },
                    Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
                    Limits = new LimitsConfig { FailedLoginDelayMs = 200 },
                    Admin = new AdminConfig { Users = [new AdminUser { Name = GatewayFixture.AdminUser, Password = GatewayFixture.AdminPassword }] },
                },
            };
            var harness = new FaultHarness(cluster, config, state, basePort + 1 + nodes);
            harness.Gateway = await GatewayHost.StartAsync(config, state, harness.HttpPort);
            return harness;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the gateway and starts a new one on the same ports; returns how long the stop took.</summary>
    public async Task<TimeSpan> RestartGatewayAsync()
    {
        var stopping = Stopwatch.StartNew();
        await Gateway.DisposeAsync();
        var stopped = stopping.Elapsed;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                Gateway = await GatewayHost.StartAsync(_config, _state, HttpPort);
                return stopped;
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                // A port not yet released by the old listener: try again shortly.
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Takes the whole upstream cluster away (the gateway stays up).</summary>
    public async Task StopClusterAsync()
    {
        _clusterStopped = true;
        await Cluster.DisposeAsync();
    }

    public ClientConfig Partner() => new()
    {
        BootstrapServers = $"127.0.0.1:{BootstrapPort}",
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = "johndoe",
        SaslPassword = GatewayFixture.PartnerSecret,
    };

    /// <summary>The upstream node coordinating a partner group (its upstream id carries the zone prefix).</summary>
    public async Task<int> CoordinatorOfAsync(string partnerGroup)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build();
        var upstreamGroup = $"pz.{GatewayFixture.ZoneName}.{partnerGroup}";
        var described = await admin.DescribeConsumerGroupsAsync([upstreamGroup], new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(20) });
        return Assert.Single(described.ConsumerGroupDescriptions).Coordinator.Id;
    }

    /// <summary>Waits until the gateway holds <paramref name="clients"/> client and <paramref name="upstream"/>
    /// upstream connections; false when that does not happen within <paramref name="within"/>.</summary>
    public async Task<bool> ConnectionsSettleAsync(long clients, long upstream, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (Metrics.OpenConnections == clients && Metrics.OpenUpstreamConnections == upstream)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public async Task<string> MetricsTextAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync("/metrics");
    }

    /// <summary>Every record value in the backing topic, read directly from the cluster, with how often it occurs.</summary>
    public Dictionary<string, int> ReadBackingTopic(string prefix)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = "direct-check-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        var clock = Stopwatch.StartNew();
        for (var partition = 0; partition < Partitions; partition++)
        {
            var tp = new TopicPartition(BackingTopic, partition);
            var end = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(15)).High.Value;
            if (end == 0)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
            long next = 0;
            while (next < end)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"Reading {BackingTopic} directly took too long (partition {partition} at {next} of {end}).");
                var result = consumer.Consume(TimeSpan.FromSeconds(1));
                if (result is null || result.IsPartitionEOF)
                {
                    continue;
                }

                next = result.Offset.Value + 1;
                if (result.Message.Value is { } value && value.StartsWith(prefix, StringComparison.Ordinal))
                {
                    counts[value] = counts.GetValueOrDefault(value) + 1;
                }
            }

            consumer.Unassign();
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        if (!_clusterStopped)
        {
            await Cluster.DisposeAsync();
        }
    }

    /// <summary>A port nothing listens on (it was free a moment ago).</summary>
    public static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }


}

/// <summary>The fault tests restart and stop servers and load two cores: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection
{
    public const string Name = "Faults";
}
