using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Routing;

namespace PartnerZones.Gateway;

/// <summary>
/// A running gateway: Kestrel with a Kafka listener on the bootstrap port and one per upstream broker
/// (all bound at start-up, so clients reconnecting after a restart find every port), plus an HTTP port
/// for health and metrics.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, GatewayRuntime runtime)
    {
        _app = app;
        Runtime = runtime;
    }

    public GatewayRuntime Runtime { get; }

    public string BootstrapServers => $"{Runtime.Brokers.AdvertisedHost}:{Runtime.Brokers.BootstrapPort}";

    public static async Task<GatewayHost> StartAsync(GatewayConfig config, GatewayState state, int? httpPort = null, CancellationToken cancellationToken = default)
    {
        var spec = config.Spec;
        var (brokers, apis) = await UpstreamDiscovery.DiscoverAsync(spec.Upstream, spec.Limits.MaxFrameBytes, cancellationToken).ConfigureAwait(false);
        var map = new BrokerMap(brokers, spec.Listener.AdvertisedHost ?? spec.Listener.Host, spec.Listener.BrokerPortBase, spec.Listener.BootstrapPort);
        var runtime = new GatewayRuntime(config, state, map, new UpstreamApis(apis));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(runtime);
        var address = IPAddress.Parse(spec.Listener.Host);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, spec.Listener.BootstrapPort, l => l.UseConnectionHandler<KafkaConnectionHandler>());
            foreach (var node in map.NodeIds)
            {
                kestrel.Listen(address, map.GatewayPort(node), l => l.UseConnectionHandler<KafkaConnectionHandler>());
            }

            if (httpPort is { } http)
            {
                kestrel.Listen(address, http);
            }
        });
        var app = builder.Build();
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", () => Results.Ok(new { status = "ready" }));
        app.MapGet("/metrics", () => Results.Text(runtime.Metrics.Render(), "text/plain; version=0.0.4"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new GatewayHost(app, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
