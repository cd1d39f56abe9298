using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Resources;
using PartnerZones.Testing;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// A gateway in front of an embedded cluster of any size, serving the documented example zone
/// (johndoe: topic-a WRITE, topic-b READ on kafka-topic-a), a second zone whose partner janedoe also
/// calls kafka-topic-a "topic-a", and an admin account. Unlike <see cref="GatewayFixture"/> the cluster
/// may auto-create topics and the backing topic may be left uncreated, so that tests can show the
/// gateway never causes a topic to be created.
/// </summary>
internal sealed class TwoZoneGateway : IAsyncDisposable
{
    public const string OtherZone = "other-zone";
    public const string OtherPartnerSecret = "janedoe-secret-0123456789";

    private TwoZoneGateway(EmbeddedCluster cluster, GatewayHost gateway)
    {
        Cluster = cluster;
        Gateway = gateway;
    }

    public EmbeddedCluster Cluster { get; }

    public GatewayHost Gateway { get; }

    public KafkaEndpoint Partner => new(Gateway.BootstrapServers, new SaslPlain("johndoe", GatewayFixture.PartnerSecret));

    public KafkaEndpoint OtherPartner => new(Gateway.BootstrapServers, new SaslPlain("janedoe", OtherPartnerSecret));

    public KafkaEndpoint Admin => new(Gateway.BootstrapServers, new SaslPlain("admin", GatewayFixture.AdminSecret));

    public KafkaEndpoint Upstream => new(Cluster.BootstrapServers);

    public static async Task<TwoZoneGateway> StartAsync(int nodes, bool autoCreateTopics, bool createBackingTopic)
    {
        var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes, AutoCreateTopics = autoCreateTopics, DefaultPartitions = GatewayFixture.BackingPartitions });
        try
        {
            if (createBackingTopic)
            {
                await ReferenceClient.CreateTopicAsync(new KafkaEndpoint(cluster.BootstrapServers), GatewayFixture.BackingTopic, GatewayFixture.BackingPartitions);
            }

            var state = State();
            for (var attempt = 1; ; attempt++)
            {
                var basePort = LoopbackPorts.FreeRange(1 + nodes);
                var config = new GatewayConfig
                {
                    Spec = new GatewaySpec
                    {
                        Upstream = new UpstreamConfig { BootstrapServers = cluster.BootstrapServers },
                        Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
                        Limits = new LimitsConfig { FailedLoginDelayMs = 200 },
                    },
                };
                try
                {
                    return new TwoZoneGateway(cluster, await GatewayHost.StartAsync(config, state));
                }
                catch (IOException) when (attempt < 5)
                {
                    // Another test took a port between the check and the bind.
                }
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Both zones, the three accounts and their credentials.</summary>
    public static GatewayState State() => new(
        [.. PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "example"), .. PartnerZoneReader.ReadAll(OtherZoneYaml, "other")],
        [Account("johndoe", "PARTNER"), Account("janedoe", "PARTNER"), Account("admin", "ADMIN")],
        [
            Credential("johndoe-1", "johndoe", GatewayFixture.PartnerSecret),
            Credential("janedoe-1", "janedoe", OtherPartnerSecret),
            Credential("admin-1", "admin", GatewayFixture.AdminSecret),
        ]);

    /// <summary>The topics that exist upstream, the gateway's own state topics left out.</summary>
    public IReadOnlyList<string> UpstreamTopics()
    {
        using var admin = new Confluent.Kafka.AdminClientBuilder(Upstream.Config<Confluent.Kafka.AdminClientConfig>()).Build();
        return [.. admin.GetMetadata(TimeSpan.FromSeconds(20)).Topics.Select(t => t.Topic).Where(t => !t.StartsWith("__", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The gateway's broker port for an upstream node.</summary>
    public int GatewayPort(int node) => Gateway.Runtime.Brokers.GatewayPort(node);

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    private const string OtherZoneYaml = """
        apiVersion: v2
        kind: PartnerZone
        metadata:
          name: other-zone
        spec:
          cluster: gateway
          displayName: Another partner on the same backing topic
          url: https://other.example.com
          serviceAccount: janedoe
          topics:
            - name: topic-a
              backingTopic: kafka-topic-a
              permission: READ
          partner:
            name: Jane Doe
            role: Analyst
            email: janedoe@example.com
            phone: 07827 000 000
        """;

    private static ServiceAccount Account(string name, string type) =>
        new() { Metadata = new ResourceMetadata { Name = name }, Spec = new ServiceAccountSpec { Type = type } };

    private static PartnerZones.Gateway.Configuration.Credential Credential(string id, string account, string secret) =>
        new() { Metadata = new ResourceMetadata { Name = id }, Spec = new CredentialSpec { ServiceAccount = account, SecretHash = SecretHash.Hash(secret) } };
}
