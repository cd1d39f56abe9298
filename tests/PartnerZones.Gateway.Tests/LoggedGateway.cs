using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Tests.StateSharing;

namespace PartnerZones.Gateway.Tests;

/// <summary>An embedded cluster with the example zone's backing topic and one gateway in front of it whose
/// log lines are kept, for tests that assert what the gateway logged.</summary>
internal sealed class LoggedGateway : IAsyncDisposable
{
    private LoggedGateway(EmbeddedCluster cluster)
    {
        Cluster = cluster;
    }

    public CapturingLogs Logs { get; } = new();

    public EmbeddedCluster Cluster { get; }

    public GatewayHost Gateway { get; private set; } = null!;

    public int HttpPort { get; private set; }

    public static async Task<LoggedGateway> StartAsync(string? instanceId = null)
    {
        var logged = new LoggedGateway(await EmbeddedCluster.StartAsync(new ClusterOptions()));
        try
        {
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = logged.Cluster.BootstrapServers }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = GatewayFixture.BackingTopic, NumPartitions = 1, ReplicationFactor = 1 }]);
            }

            (logged.Gateway, logged.HttpPort) = await GatewayInstance.StartAsync(
                logged.Cluster, options: new GatewayHostOptions { LoggerFactory = logged.Logs, InstanceId = instanceId });
            return logged;
        }
        catch
        {
            await logged.Cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Cluster.DisposeAsync();
    }
}
