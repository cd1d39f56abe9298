using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Resources;
using PartnerZones.Testing;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests;

/// <summary>An embedded cluster with kafka-topic-a and a private topic, and a gateway in front of it
/// serving the documented example zone (topic-a WRITE and topic-b READ, both on kafka-topic-a), or
/// another zone of johndoe's given as YAML. As a class fixture it has one node; <see cref="StartAsync"/>
/// starts a fresh one of any size for a single test.</summary>
public class GatewayFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string PartnerSecret = "johndoe-secret-0123456789";
    public const string AdminSecret = "admin-secret-0123456789";
    public const string ZoneName = "external-partner-zone";
    public const string BackingTopic = "kafka-topic-a";
    public const int BackingPartitions = 3;

    /// <summary>The admin API's user (HTTP Basic); admin users are required whenever the HTTP port is on.</summary>
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-api-password-0123456789";

    private readonly int _nodes;
    private readonly string _zone;
    private readonly Action<int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?>? _upstreamFrames;
    private readonly Func<LimitsConfig, LimitsConfig>? _limits;
    private readonly Func<HttpConfig, HttpConfig>? _http;
    private readonly Func<ClusterOptions, ClusterOptions>? _cluster;

    public GatewayFixture()
        : this(1)
    {
    }

    protected GatewayFixture(
        int nodes, string zone = ExampleZone, Action<int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?>? upstreamFrames = null,
        Func<LimitsConfig, LimitsConfig>? limits = null, Func<HttpConfig, HttpConfig>? http = null, Func<ClusterOptions, ClusterOptions>? cluster = null)
    {
        _cluster = cluster;
        _nodes = nodes;
        _zone = zone;
        _upstreamFrames = upstreamFrames;
        _limits = limits;
        _http = http;
    }

    /// <summary>A started cluster and gateway for one test, disposed by the caller (await using).
    /// <paramref name="upstreamFrames"/> sees every request the cluster receives (see ClusterOptions.FrameObserver);
    /// <paramref name="limits"/> adjusts the gateway's limits, <paramref name="http"/> its HTTP port's settings
    /// and <paramref name="cluster"/> the upstream cluster's options (for instance another broker dialect).</summary>
    public static async Task<GatewayFixture> StartAsync(
        int nodes, string zone = ExampleZone, Action<int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?>? upstreamFrames = null,
        Func<LimitsConfig, LimitsConfig>? limits = null, Func<HttpConfig, HttpConfig>? http = null, Func<ClusterOptions, ClusterOptions>? cluster = null)
    {
        var fixture = new GatewayFixture(nodes, zone, upstreamFrames, limits, http, cluster);
        try
        {
            await fixture.InitializeAsync();
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }

        return fixture;
    }

    public EmbeddedCluster Cluster { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    /// <summary>Health and metrics endpoints.</summary>
    public int HttpPort { get; private set; }

    public async Task InitializeAsync()
    {
        var options = new ClusterOptions { Nodes = _nodes, FrameObserver = _upstreamFrames };
        Cluster = await EmbeddedCluster.StartAsync(_cluster?.Invoke(options) ?? options);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([
                new TopicSpecification { Name = BackingTopic, NumPartitions = BackingPartitions, ReplicationFactor = 1 },
                new TopicSpecification { Name = "private-topic", NumPartitions = 1, ReplicationFactor = 1 },
            ]);
        }

        var zone = Assert.Single(PartnerZoneReader.ReadAll(_zone, "zone"));
        var state = new GatewayState(
            [zone],
            [Account("johndoe", "PARTNER"), Account("admin", "ADMIN")],
            [Credential("johndoe-1", "johndoe", PartnerSecret), Credential("admin-1", "admin", AdminSecret)]);
        // Another test may take a port between the check and the bind: try a fresh range a few times.
        for (var attempt = 1; ; attempt++)
        {
            var basePort = LoopbackPorts.FreeRange(2 + _nodes);
            HttpPort = basePort + 1 + _nodes;
            var config = new GatewayConfig
            {
                Spec = new GatewaySpec
                {
                    Upstream = new UpstreamConfig { BootstrapServers = Cluster.BootstrapServers },
                    Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
                    Limits = _limits?.Invoke(new LimitsConfig { FailedLoginDelayMs = 200 }) ?? new LimitsConfig { FailedLoginDelayMs = 200 },
                    Admin = new AdminConfig { Users = [new AdminUser { Name = AdminUser, Password = AdminPassword }] },
                    Http = _http?.Invoke(new HttpConfig()) ?? new HttpConfig(),
                },
            };
            try
            {
                Gateway = await GatewayHost.StartAsync(config, state, HttpPort);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    public async Task DisposeAsync()
    {
        // Null when start-up failed part way.
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    /// <summary>The gateway as johndoe, the zone's partner, sees it.</summary>
    public KafkaEndpoint PartnerEndpoint => new(Gateway.BootstrapServers, new SaslPlain("johndoe", PartnerSecret));

    /// <summary>The backing cluster itself, bypassing the gateway: for an administrator's independent checks.</summary>
    public KafkaEndpoint UpstreamEndpoint => new(Cluster.BootstrapServers);

    /// <summary>An HTTP client for the admin API, authenticated as the admin user.</summary>
    public HttpClient AdminApi()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));
        return http;
    }

    public ClientConfig Partner(string password = PartnerSecret) => new()
    {
        BootstrapServers = Gateway.BootstrapServers,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = "johndoe",
        SaslPassword = password,
    };

    public ClientConfig Admin() => new()
    {
        BootstrapServers = Gateway.BootstrapServers,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = "admin",
        SaslPassword = AdminSecret,
    };

    /// <summary>The example zone with more of spec (YAML indented as under spec, two spaces), placed
    /// before spec.partner: limits, header rules, more topics' siblings.</summary>
    public static string ExampleZoneWith(string specYaml) =>
        ExampleZone.Replace("  partner:\n", specYaml.TrimEnd('\n') + "\n  partner:\n", StringComparison.Ordinal);

    public const string ExampleZone = """
        apiVersion: v2
        kind: PartnerZone
        metadata:
          name: external-partner-zone
        spec:
          cluster: gateway
          displayName: External clients partner zone
          url: https://partner.example.com
          serviceAccount: johndoe
          topics:
            - name: topic-a
              backingTopic: kafka-topic-a
              permission: WRITE
            - name: topic-b
              backingTopic: kafka-topic-a
              permission: READ
          partner:
            name: John Doe
            role: Data analyst
            email: johndoe@example.com
            phone: 07827 837 177
        """;

    /// <summary>johndoe's zone with two WRITE aliases of one backing topic: one producer may write to
    /// both in one request, which the gateway must keep apart upstream.</summary>
    public const string TwoWriteAliasesZone = """
        apiVersion: v2
        kind: PartnerZone
        metadata:
          name: external-partner-zone
        spec:
          cluster: gateway
          displayName: Two write aliases of one topic
          url: https://partner.example.com
          serviceAccount: johndoe
          topics:
            - name: sales-eu
              backingTopic: kafka-topic-a
              permission: WRITE
            - name: sales-us
              backingTopic: kafka-topic-a
              permission: WRITE
          partner:
            name: John Doe
            role: Data analyst
            email: johndoe@example.com
            phone: 07827 837 177
        """;

    private static ServiceAccount Account(string name, string type) =>
        new() { Metadata = new ResourceMetadata { Name = name }, Spec = new ServiceAccountSpec { Type = type } };

    private static PartnerZones.Gateway.Configuration.Credential Credential(string id, string account, string secret) =>
        new() { Metadata = new ResourceMetadata { Name = id }, Spec = new CredentialSpec { ServiceAccount = account, SecretHash = SecretHash.Hash(secret) } };


}
