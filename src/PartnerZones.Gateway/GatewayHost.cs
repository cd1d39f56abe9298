using System.Net;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PartnerZones.Gateway.Admin;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Routing;
using PartnerZones.Gateway.Security;
using PartnerZones.Gateway.State;
using PartnerZones.Resources;

namespace PartnerZones.Gateway;

/// <summary>How a gateway runs beyond its configuration: where logs go and what this instance is called.</summary>
public sealed record GatewayHostOptions
{
    /// <summary>Receives the audit log lines and operational messages; none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Names this instance in audit events; default host name, process id and a random suffix.</summary>
    public string? InstanceId { get; init; }
}

/// <summary>
/// A running gateway: Kestrel with a Kafka listener on the bootstrap port and one per upstream broker
/// (all bound at start-up, so clients reconnecting after a restart find every port; TLS for SASL_SSL),
/// plus an HTTP port for health, metrics and the admin API. Start-up reads the shared state from the
/// state topic and then writes the configuration file's resources over it (the file wins for what it
/// defines); only then are the ports opened.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    /// <summary>How often live sessions are checked against their deadlines.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long /health/ready waits for an upstream broker to accept a connection.</summary>
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly StateStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sweeper;

    private GatewayHost(WebApplication app, GatewayRuntime runtime, StateStore store)
    {
        _app = app;
        _store = store;
        Runtime = runtime;
        _sweeper = SweepAsync();
    }

    public GatewayRuntime Runtime { get; }

    public string BootstrapServers => $"{Runtime.Brokers.AdvertisedHost}:{Runtime.Brokers.BootstrapPort}";

    /// <summary>The state store this instance follows (tests read its position).</summary>
    public StateStore Store => _store;

    /// <summary>Every endpoint the HTTP port maps: the registry the security tests enumerate, so an endpoint
    /// added tomorrow is probed for authentication the day it appears.</summary>
    public IReadOnlyList<Endpoint> HttpEndpoints => [.. ((IEndpointRouteBuilder)_app).DataSources.SelectMany(d => d.Endpoints)];

    public static Task<GatewayHost> StartAsync(GatewayConfig config, GatewayState state, int? httpPort = null, CancellationToken cancellationToken = default) =>
        StartAsync(config, state, httpPort, new GatewayHostOptions(), cancellationToken);

    /// <summary>Starts a gateway. <paramref name="seed"/> (the configuration file's resources) is written to
    /// the state topic where it differs; <paramref name="httpPort"/> null runs without HTTP.</summary>
    public static async Task<GatewayHost> StartAsync(GatewayConfig config, GatewayState seed, int? httpPort, GatewayHostOptions options, CancellationToken cancellationToken = default)
    {
        var spec = config.Spec;
        var problems = GatewayConfigLoader.ValidateConfig(config with { Spec = spec with { Http = spec.Http with { Port = httpPort ?? 0 } } }).ToList();
        problems.AddRange(GatewayState.ValidateBackingTopics(seed.Zones, spec.State));
        if (problems.Count > 0)
        {
            throw new ResourceException(problems);
        }

        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var instance = options.InstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
        var (brokers, apis) = await UpstreamDiscovery.DiscoverAsync(spec.Upstream, spec.Limits.MaxFrameBytes, cancellationToken).ConfigureAwait(false);
        var map = new BrokerMap(brokers, spec.Listener.AdvertisedHost ?? spec.Listener.Host, spec.Listener.BrokerPortBase, spec.Listener.BootstrapPort);
        var runtime = new GatewayRuntime(config, GatewayState.Empty, map, new UpstreamApis(apis))
        {
            Audit = new AuditLog(loggers.CreateLogger("PartnerZones.Gateway.Audit"), instance),
            Log = loggers.CreateLogger("PartnerZones.Gateway.Connections"),
        };

        var store = await StateStore.OpenAsync(spec, instance, loggers.CreateLogger("PartnerZones.Gateway.State"), runtime.Swap, cancellationToken, runtime.Metrics).ConfigureAwait(false);
        try
        {
            runtime.Swap(store.State);
            runtime.Audit.Attach(store.Audit);
            await StateSeeder.SeedAsync(store, seed, runtime.Audit, cancellationToken).ConfigureAwait(false);
            var app = await StartWebAsync(runtime, store, httpPort, cancellationToken).ConfigureAwait(false);
            return new GatewayHost(app, runtime, store);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<WebApplication> StartWebAsync(GatewayRuntime runtime, StateStore store, int? httpPort, CancellationToken cancellationToken)
    {
        var spec = runtime.Spec;
        // No appsettings reload: the gateway reads no appsettings file, and reloading would watch every directory
        // under the working directory (a repository checkout: hundreds of inotify watches, each build waking it).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        // Kafka clients reconnect on their own: stopping does not wait long for their connections to end.
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(runtime);
        var address = IPAddress.Parse(spec.Listener.Host);
        var certificate = spec.Listener.SecurityProtocol == "SASL_SSL" ? ListenerCertificate.Load(spec.Listener.Tls!) : null;
        var httpCertificate = spec.Http.Tls is { } httpTls ? ListenerCertificate.Load(httpTls) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Kafka(int port) => kestrel.Listen(address, port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                    });
                }

                listen.UseConnectionHandler<KafkaConnectionHandler>();
            });

            Kafka(spec.Listener.BootstrapPort);
            foreach (var node in runtime.Brokers.NodeIds)
            {
                Kafka(runtime.Brokers.GatewayPort(node));
            }

            if (httpPort is { } http)
            {
                var httpAddress = spec.Http.Host is { } host ? IPAddress.Parse(host) : address;
                kestrel.Listen(httpAddress, http, listen =>
                {
                    if (httpCertificate is not null)
                    {
                        listen.UseHttps(https =>
                        {
                            https.ServerCertificate = httpCertificate;
                            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                        });
                    }
                });
            }
        });
        // Every endpoint of the HTTP port needs an admin login unless it is marked AllowAnonymous below.
        builder.Services.AddAdminAuthentication(new AdminUsers(spec.Admin), runtime, TimeProvider.System);
        var app = builder.Build();
        app.UseAdminAuthentication();
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).AllowAnonymous();
        app.MapGet("/health/ready", async (CancellationToken aborted) =>
        {
            if (!await UpstreamReachability.AnyBrokerAcceptsAsync(runtime.Brokers, ReadinessTimeout, aborted).ConfigureAwait(false))
            {
                return Results.Json(new { status = "not ready", reason = "no upstream broker accepts connections" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            // A gateway that cannot write its state cannot take a new zone, credential or revocation.
            return await store.WriterProblemAsync(aborted).ConfigureAwait(false) is { } problem
                ? Results.Json(new { status = "not ready", reason = $"the state writer cannot write: {problem}" }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Ok(new { status = "ready" });
        }).AllowAnonymous();
        app.MapGet("/metrics", () => Results.Text(runtime.Metrics.Render(), "text/plain; version=0.0.4")).AllowAnonymous();
        if (httpPort is not null)
        {
            AdminEndpoints.Map(app, new AdminService(store, spec, runtime.Audit), runtime);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A port already taken: release whatever Kestrel did bind, so nothing of this attempt lingers.
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return app;
    }

    private async Task SweepAsync()
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Runtime.SweepSessions();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sweeper.ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
