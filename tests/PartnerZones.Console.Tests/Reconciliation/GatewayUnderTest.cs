using System.Net.Http.Headers;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Testing;
using GatewayAdminUser = PartnerZones.Gateway.Configuration.AdminUser;

namespace PartnerZones.ControlPlane.Tests.Reconciliation;

/// <summary>
/// Real parts for the reconciler: an embedded cluster with <see cref="BackingTopic"/>, a gateway in front of
/// it (admin API on its HTTP port, no zones of its own) that a test may stop and start again on the same
/// ports, and a console on a SQLite file whose reconciler deploys through the default HTTP client, with
/// short intervals so a test sees changes within seconds.
/// </summary>
public sealed class GatewayUnderTest : IAsyncLifetime
{
    public const string BackingTopic = "kafka-topic-a";
    public const string AdminUser = "console";
    public const string AdminPassword = "gateway-admin-password-0123";

    public static readonly ReconcilerOptions Pace = new()
    {
        Interval = TimeSpan.FromSeconds(1),
        MinBackoff = TimeSpan.FromMilliseconds(200),
        MaxBackoff = TimeSpan.FromSeconds(2),
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("pz-reconciler-tests-").FullName;
    private GatewayConfig _config = null!;

    public EmbeddedCluster Cluster { get; private set; } = null!;

    /// <summary>Null while stopped.</summary>
    public GatewayHost? Gateway { get; private set; }

    public TestConsole Console { get; private set; } = null!;

    /// <summary>Every line the console logged (warnings, errors and its audit lines).</summary>
    public CapturedLogs Logs { get; } = new();

    public int HttpPort { get; private set; }

    public string AdminUrl => $"http://127.0.0.1:{HttpPort}";

    public string BootstrapServers => $"127.0.0.1:{_config.Spec.Listener.BootstrapPort}";

    public async Task InitializeAsync()
    {
        Cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await CreateTopicAsync(BackingTopic, 3);
        // Another test may take a port between the check and the bind: try a fresh range a few times.
        for (var attempt = 1; ; attempt++)
        {
            var basePort = LoopbackPorts.FreeRange(3);
            HttpPort = basePort + 2;
            _config = new GatewayConfig
            {
                Spec = new GatewaySpec
                {
                    Upstream = new UpstreamConfig { BootstrapServers = Cluster.BootstrapServers },
                    Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
                    Limits = new LimitsConfig { FailedLoginDelayMs = 100 },
                    Admin = new AdminConfig { Users = [new GatewayAdminUser { Name = AdminUser, Password = AdminPassword }] },
                },
            };
            try
            {
                await StartGatewayAsync();
                break;
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }

        Console = await TestConsole.StartAsync(new StoreConfig { Sqlite = Path.Combine(_directory, "console.db") }, reconciler: Pace, logs: Logs);
    }

    /// <summary>Starts a gateway on the fixture's ports; it reads the zones the last one left in the state topic.</summary>
    public async Task StartGatewayAsync()
    {
        Assert.Null(Gateway);
        Gateway = await GatewayHost.StartAsync(_config, GatewayState.Empty, HttpPort);
    }

    public async Task StopGatewayAsync()
    {
        var gateway = Gateway;
        Gateway = null;
        if (gateway is not null)
        {
            await gateway.DisposeAsync();
        }
    }

    public async Task CreateTopicAsync(string name, int partitions = 1)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>The gateway's admin API as its admin user, bypassing the console.</summary>
    public HttpClient GatewayAdminApi()
    {
        var http = new HttpClient { BaseAddress = new Uri(AdminUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));
        return http;
    }

    /// <summary>A partner's client configuration for the gateway.</summary>
    public AdminClientConfig Partner(string username, string password) => new()
    {
        BootstrapServers = BootstrapServers,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = username,
        SaslPassword = password,
        SocketTimeoutMs = 10_000,
    };

    public async Task DisposeAsync()
    {
        if (Console is not null)
        {
            await Console.DisposeAsync();
        }

        await StopGatewayAsync();
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
