using PartnerZones.Testing;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Tests.StateSharing;

/// <summary>Starts one more gateway instance on an existing cluster, on free ports, with the fixture's admin user.</summary>
internal static class GatewayInstance
{
    public static async Task<(GatewayHost Host, int HttpPort)> StartAsync(
        EmbeddedCluster cluster, GatewayState? seed = null, Func<GatewaySpec, GatewaySpec>? adjust = null, GatewayHostOptions? options = null)
    {
        var (config, httpPort) = Configure(cluster, adjust);
        var host = await GatewayHost.StartAsync(config, seed ?? GatewayState.Empty, httpPort, options ?? new GatewayHostOptions());
        return (host, httpPort);
    }

    /// <summary>The configuration <see cref="StartAsync"/> uses (free ports, the fixture's admin user) and its
    /// HTTP port, for tests that stop a gateway and start it again on the same ports.</summary>
    public static (GatewayConfig Config, int HttpPort) Configure(EmbeddedCluster cluster, Func<GatewaySpec, GatewaySpec>? adjust = null)
    {
        var nodes = cluster.EndPoints.Count;
        var basePort = LoopbackPorts.FreeRange(2 + nodes);
        var spec = new GatewaySpec
        {
            Upstream = new UpstreamConfig { BootstrapServers = cluster.BootstrapServers },
            Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
            Limits = new LimitsConfig { FailedLoginDelayMs = 200 },
            Admin = new AdminConfig { Users = [new AdminUser { Name = GatewayFixture.AdminUser, Password = GatewayFixture.AdminPassword }] },
        };
        return (new GatewayConfig { Spec = adjust?.Invoke(spec) ?? spec }, basePort + 1 + nodes);
    }
}
