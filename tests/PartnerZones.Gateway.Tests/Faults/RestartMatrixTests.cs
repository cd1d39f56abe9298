using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Tests.Admin;
using PartnerZones.Gateway.Tests.StateSharing;
using PartnerZones.Testing;
using Xunit.Abstractions;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>
/// Every restart order of the backing cluster (with its data directory) and the gateway, after partner
/// traffic: afterwards a new zone and credential admit their partner, a revoked credential and a deleted
/// zone's partner are refused, each within seconds of the admin API's answer, proven with a real client.
/// (`pz dev` stopped and started whole, SIGTERM and SIGKILL, is Cli.Tests/DevRestartTests.)
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class RestartMatrixTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Effect = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    public enum Restart
    {
        Cluster,
        Gateway,
        ClusterThenGateway,
        GatewayThenCluster,
    }

    [Theory]
    [InlineData(Restart.Cluster)]
    [InlineData(Restart.Gateway)]
    [InlineData(Restart.ClusterThenGateway)]
    [InlineData(Restart.GatewayThenCluster)]
    public async Task After_a_restart_every_change_reaches_the_gateway_within_seconds(Restart restart)
    {
        var dataDir = Directory.CreateTempSubdirectory("pz-restart-matrix-").FullName;
        var clusterPort = LoopbackPorts.FreeRange(1);
        var clusterOptions = new ClusterOptions { BasePort = clusterPort, DataDir = dataDir };
        var cluster = await EmbeddedCluster.StartAsync(clusterOptions);
        GatewayHost? gateway = null;
        try
        {
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = GatewayFixture.BackingTopic, NumPartitions = 1, ReplicationFactor = 1 }]);
            }

            var (config, httpPort) = GatewayInstance.Configure(cluster);
            gateway = await GatewayHost.StartAsync(config, GatewayState.Empty, httpPort);
            using var api = AdminApi.For(httpPort);
            var bootstrap = $"127.0.0.1:{config.Spec.Listener.BootstrapPort}";

            await AdminApiTests.AccountAsync(api, "before");
            await api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("before-zone", "before", "READ"));
            var (_, kept) = await api.IssueAsync("before");
            var (revokedId, revoked) = await api.IssueAsync("before");
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(["shared"], PartnerLogin.TopicsOf(bootstrap, "before", i % 2 == 0 ? kept : revoked));
            }

            async Task RestartClusterAsync()
            {
                await cluster.DisposeAsync();
                cluster = await EmbeddedCluster.StartAsync(clusterOptions);
            }

            async Task RestartGatewayAsync()
            {
                await gateway!.DisposeAsync();
                gateway = null;
                gateway = await StartGatewayAsync(config, httpPort);
            }

            switch (restart)
            {
                case Restart.Cluster:
                    await RestartClusterAsync();
                    break;
                case Restart.Gateway:
                    await RestartGatewayAsync();
                    break;
                case Restart.ClusterThenGateway:
                    await RestartClusterAsync();
                    await RestartGatewayAsync();
                    break;
                case Restart.GatewayThenCluster:
                    await RestartGatewayAsync();
                    await RestartClusterAsync();
                    break;
            }

            // The first write after the restart may wait for the cluster to be back; each then takes effect at once.
            await WriteAsync(() => api.PutAsync("/gateway/v2/service-account", $$$"""{"metadata": {"name": "after"}, "spec": {"type": "PARTNER", "saslMechanisms": ["PLAIN"]}}"""));
            await WriteAsync(() => api.PutAsync("/gateway/v2/partner-zone", AdminApiTests.Zone("after-zone", "after", "READ")));
            var (_, fresh) = await api.IssueAsync("after");
            await WithinAsync("a zone and credential created after the restart admit their partner", () => PartnerLogin.TopicsOf(bootstrap, "after", fresh) is ["shared"]);

            await api.RevokeAsync(revokedId);
            await WithinAsync("a credential revoked after the restart is refused", () => PartnerLogin.TopicsOf(bootstrap, "before", revoked) is null);
            Assert.Equal(["shared"], PartnerLogin.TopicsOf(bootstrap, "before", kept));

            var (deleted, body) = await api.DeleteAsync("/gateway/v2/partner-zone/before-zone");
            Assert.True(deleted == System.Net.HttpStatusCode.NoContent, $"delete: {(int)deleted} {body}");
            await WithinAsync("the partner of a zone deleted after the restart is refused", () => PartnerLogin.TopicsOf(bootstrap, "before", kept) is null);
            Assert.Equal(["shared"], PartnerLogin.TopicsOf(bootstrap, "after", fresh));
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            await cluster.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<GatewayHost> StartGatewayAsync(GatewayConfig config, int httpPort)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await GatewayHost.StartAsync(config, GatewayState.Empty, httpPort);
            }
            catch (IOException) when (clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                // A port not yet released by the stopped gateway.
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Retries an admin write while the restarted parts come back (503), up to the recovery time.</summary>
    private async Task WriteAsync(Func<Task<(System.Net.HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)>> write)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await write();
            if (status == System.Net.HttpStatusCode.OK)
            {
                return;
            }

            output.WriteLine($"{clock.Elapsed}: {(int)status} {body?.ToJsonString()}");
            Assert.True(clock.Elapsed < Recovery, $"the admin API did not take writes again within {Recovery.TotalSeconds} s: {(int)status} {body}");
            await Task.Delay(500);
        }
    }

    private async Task WithinAsync(string what, Func<bool> done) =>
        output.WriteLine($"{what}: {await PartnerLogin.WithinAsync(Effect, what, done)}");
}
