using System.Security.Cryptography;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Security;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>
/// The two sides of a gateway comparison, built in one run: an embedded cluster in this process ("direct",
/// plaintext, a fresh topic per scenario) and a `pz gateway` process in front of it ("gateway", SASL PLAIN
/// as the zone's partner account, one zone alias per scenario).
/// </summary>
internal sealed class GatewayBench : IAsyncDisposable
{
    public static readonly TargetSpec DirectSpec = TargetSpec.Named("direct");
    public static readonly TargetSpec GatewaySpec = TargetSpec.Named("gateway");

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private readonly EmbeddedCluster _cluster;
    private readonly GatewayProcess _gateway;
    private readonly string _directory;

    private GatewayBench(EmbeddedCluster cluster, GatewayProcess gateway, string directory, OpenTarget direct, OpenTarget viaGateway)
    {
        _cluster = cluster;
        _gateway = gateway;
        _directory = directory;
        Direct = direct;
        ViaGateway = viaGateway;
    }

    public OpenTarget Direct { get; }

    public OpenTarget ViaGateway { get; }

    public GatewayProcess Gateway => _gateway;

    /// <summary>Starts the cluster, creates <paramref name="scenarios"/> backing topics of
    /// <paramref name="partitions"/> partitions upstream, and starts the gateway with a zone aliasing them.</summary>
    public static async Task<GatewayBench> StartAsync(int nodes, int partitions, int scenarios, string runId,
        IReadOnlyDictionary<string, string> gatewayEnvironment, Action<string> log, bool headerRules = false)
    {
        var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes, BasePort = 0 }, m => log($"[cluster] {m}")).ConfigureAwait(false);
        var directory = Directory.CreateTempSubdirectory("pz-loadtest-gateway-").FullName;
        try
        {
            var aliases = Enumerable.Range(0, scenarios)
                .Select(i => new ZoneTopics.Alias($"load-{i}", $"pz-gw-{runId}-{i}"))
                .ToList();
            var replication = (short)Math.Min(3, nodes);
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
            {
                await admin.CreateTopicsAsync(aliases.Select(a => new TopicSpecification { Name = a.Backing, NumPartitions = partitions, ReplicationFactor = replication })).ConfigureAwait(false);
            }

            // A fresh random secret per run: the account exists only in this run's cluster and gateway.
            var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            var client = ClientProperties.Sasl("PLAIN", GatewayConfigFile.Account, secret);
            GatewayProcess? gateway = null;
            int bootstrapPort = 0;
            for (var attempt = 1; gateway is null; attempt++)
            {
                // Another process may take a port between the check and the gateway's bind: try a fresh range.
                bootstrapPort = FreePorts.FreeRange(1 + nodes);
                var file = Path.Combine(directory, "gateway.yaml");
                await File.WriteAllTextAsync(file, GatewayConfigFile.Render(cluster.BootstrapServers, bootstrapPort, SecretHash.Hash(secret), aliases, headerRules)).ConfigureAwait(false);
                try
                {
                    gateway = await GatewayProcess.StartAsync(file, gatewayEnvironment, ReadyTimeout).ConfigureAwait(false);
                }
                catch (IOException e) when (attempt < 3)
                {
                    log($"[gateway] start attempt {attempt} failed, retrying on other ports: {e.Message}");
                }
            }

            log($"[gateway] pz gateway pid {gateway.ProcessId} listening on 127.0.0.1:{bootstrapPort}, upstream {cluster.BootstrapServers}");
            var direct = new OpenTarget { Spec = DirectSpec, BootstrapServers = cluster.BootstrapServers, Topics = new FreshTopics(cluster.BootstrapServers, ClientProperties.None) };
            var viaGateway = new OpenTarget
            {
                Spec = GatewaySpec,
                BootstrapServers = $"127.0.0.1:{bootstrapPort}",
                Client = client,
                Topics = new ZoneTopics(cluster.BootstrapServers, aliases),
                ServerCpu = gateway.Cpu,
            };
            return new GatewayBench(cluster, gateway, directory, direct, viaGateway);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync().ConfigureAwait(false);
        await _cluster.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }
}
