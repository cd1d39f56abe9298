using System.Data.Common;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PartnerZones.ControlPlane.Api;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Store;
using PartnerZones.ControlPlane.Web;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane;

/// <summary>
/// A running console: the store opened and migrated, Kestrel serving the REST API, the OpenAPI
/// document and health endpoints, and the <see cref="Reconciler"/> deploying zones to gateways. Errors
/// always come back as JSON <see cref="ApiError"/>s.
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2? _certificate;

    private ConsoleHost(WebApplication app, ConsoleStore store, Uri address, X509Certificate2? certificate)
    {
        _app = app;
        Store = store;
        Address = address;
        _certificate = certificate;
    }

    /// <summary>Where the API is served, with the port actually bound (when the configuration said 0).</summary>
    public Uri Address { get; }

    public ConsoleStore Store { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Cancelled when the host is asked to stop, by <see cref="DisposeAsync"/> or by the host's own
    /// SIGINT/SIGTERM handling; a program waiting on the console waits on this too, so no stop request is lost.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Opens the store named by <paramref name="config"/> and starts serving. Throws
    /// <see cref="StoreException"/> when the store cannot be used and <see cref="IOException"/> when the
    /// address cannot be bound.</summary>
    public static async Task<ConsoleHost> StartAsync(ConsoleConfig config, ConsoleHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ConsoleHostOptions();
        if (!ConsoleConfigLoader.TryParseListen(config.Spec.Listen, out var endpoint, out var problem))
        {
            throw new ArgumentException($"spec.listen '{config.Spec.Listen}' {problem}", nameof(config));
        }

        if (ConsoleConfigLoader.TlsProblem(config.Spec) is { } tlsProblem)
        {
            throw new ArgumentException(tlsProblem, nameof(config));
        }

        StoreDialect dialect = config.Spec.Store.Postgres is { } postgres
            ? new PostgresDialect(postgres, config.Spec.Store.KeyFile)
            : new SqliteDialect(config.Spec.Store.Sqlite ?? StoreConfig.DefaultSqliteFile, config.Spec.Store.KeyFile);
        var certificate = config.Spec.Tls is { } tls ? ConsoleCertificate.Load(tls) : null;
        ConsoleStore store;
        try
        {
            store = await ConsoleStore.OpenAsync(dialect, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            certificate?.Dispose();
            throw;
        }

        try
        {
            var app = Build(config, options, store, endpoint!, certificate);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ConsoleHost(app, store, new Uri(bound), certificate);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            certificate?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
    }

    private static WebApplication Build(ConsoleConfig config, ConsoleHostOptions options, ConsoleStore store, IPEndPoint endpoint, X509Certificate2? certificate)
    {
        // The application name is this assembly, where the web UI's compiled pages live, whichever program hosts it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ConsoleHost).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter((category, level) => level >= LogLevel.Warning);
        // Audit lines record each phase of a removal (requested, confirmed), which are not warnings.
        builder.Logging.AddFilter(Audit.RemovalAudit.Category, LogLevel.Information);
        if (options.ExtraLogger is { } extra)
        {
            builder.Logging.AddProvider(extra);
        }
        // A failed start (address in use) is reported by the caller in one line; the host's own log would repeat it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // Stopping waits this long for open requests (a browser's keep-alive connection, a slow client), not the
        // host's default 30 s, which is also how long pz waits for a command to end after SIGTERM.
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endpoint, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            kestrel.Limits.MaxRequestBodySize = ApiJson.MaxBodyBytes;
        });

        var time = options.Time ?? TimeProvider.System;
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(store);
        var settings = new ConsoleSettings(config, options.FailedLoginDelay, options.SessionIdleTimeout, options.SessionLifetime);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(_ => new LoginThrottle(options.LoginLimits ?? new LoginLimits(), time));
        builder.Services.AddSingleton<AdminLogin>();
        builder.Services.AddSingleton<ReconcileSignal>();
        builder.Services.AddSingleton<Audit.RemovalAudit>();
        builder.Services.AddSingleton<ResourceService>();
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddSingleton<AdminFilter>();
        builder.Services.AddSingleton<RejectionFilter>();
        if (options.GatewayAdmin is { } gatewayAdmin)
        {
            builder.Services.AddSingleton(gatewayAdmin);
        }
        else
        {
            // Made by the container, so it is disposed with the host.
            builder.Services.AddSingleton<IGatewayAdmin>(_ => new HttpGatewayAdmin());
        }

        builder.Services.AddSingleton(options.Reconciler);
        if (options.Reconciler.Enabled)
        {
            builder.Services.AddHostedService<Reconciler>();
        }

        builder.Services.AddWebUi(settings.SessionIdleTimeout);
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Partner Zones console API";
            document.Info.Description =
                "Declare KafkaCluster and PartnerZone resources. Resource endpoints need 'Authorization: Bearer <API key>'; "
                + "token endpoints need an admin's HTTP Basic credentials. Errors are JSON objects with 'title' and 'msg'.";
            return Task.CompletedTask;
        }).AddSchemaTransformer(ResourceSchemas.Describe));

        var app = builder.Build();
        // First, so the client address (for sign-in budgets) and the scheme (for Secure cookies) are the ones
        // a trusted proxy reports, and only a trusted proxy's.
        app.UseForwardedHeaders(TrustedProxies.Options(config.Spec.TrustedProxies));
        app.UseExceptionHandler(handler => handler.Run(WriteErrorAsync));
        app.UseStatusCodePages(WriteEmptyStatusAsync);
        app.UseWebUi();

        app.MapOpenApi(ApiRoutes.OpenApi);
        app.MapGet("/health/live", () => Results.Json(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/health/ready", async (ConsoleStore s, CancellationToken cancellationToken) =>
        {
            try
            {
                await s.ListAsync(ResourceKinds.KafkaCluster.Name, cancellationToken).ConfigureAwait(false);
                return Results.Json(new { status = "ready" });
            }
            catch (DbException e)
            {
                return ApiError.Respond(StatusCodes.Status503ServiceUnavailable, "Store unavailable", $"{s.Description}: {e.Message}");
            }
        }).ExcludeFromDescription();

        ResourceEndpoints.Map<KafkaCluster>(app, new KafkaClusterRules());
        ResourceEndpoints.Map<PartnerZone>(app, new PartnerZoneRules());
        TokenEndpoints.Map(app);
        CredentialEndpoints.Map(app);
        return app;
    }

    /// <summary>Turns what an endpoint threw into JSON: refusals as they were meant, a store that stopped
    /// answering as 503, anything else as 500 without internals.</summary>
    private static async Task WriteErrorAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var store = http.RequestServices.GetRequiredService<ConsoleStore>();
        if (WebUi.IsPage(http.Request))
        {
            await WriteErrorPageAsync(http, error, store).ConfigureAwait(false);
            return;
        }

        var (status, body) = error switch
        {
            RequestRejected r => (r.Status, new ApiError(r.Title, string.Join("; ", r.Errors), r.Status == StatusCodes.Status400BadRequest ? r.Errors : null)),
            BadHttpRequestException b => (b.StatusCode, new ApiError("Bad request", b.Message)),
            DbException or TimeoutException => (StatusCodes.Status503ServiceUnavailable,
                new ApiError("Store unavailable", $"the console's store ({store.Description}) failed: {error.Message}; check the database and try again.")),
            _ => (StatusCodes.Status500InternalServerError, new ApiError("Internal error", "the console failed to answer; its log (standard error) has the details.")),
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<ConsoleHost>().LogError(error, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        }

        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(body, ApiJson.Options).ConfigureAwait(false);
    }

    /// <summary>An error on a UI page in words, as a page; the log has the details of a 500.</summary>
    private static async Task WriteErrorPageAsync(HttpContext http, Exception? error, ConsoleStore store)
    {
        var (status, title, msg) = error switch
        {
            DbException or TimeoutException => (StatusCodes.Status503ServiceUnavailable, "Store unavailable",
                $"The console's store ({store.Description}) did not answer. Check the database and try again."),
            RequestRejected r => (r.Status, r.Title, string.Join(" ", r.Errors)),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong", "The console could not show this page. Its log (standard error) has the details."),
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<ConsoleHost>().LogError(error, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        }

        http.Response.StatusCode = status;
        await WebUi.WriteErrorPageAsync(http, title, msg).ConfigureAwait(false);
    }

    /// <summary>Gives bodiless answers (unknown path, wrong method) the same JSON error shape; UI pages get a page.</summary>
    private static async Task WriteEmptyStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (WebUi.IsPage(http.Request) && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
        {
            var (pageTitle, pageMsg) = WebUi.DescribeStatus(http);
            await WebUi.WriteErrorPageAsync(http, pageTitle, pageMsg).ConfigureAwait(false);
            return;
        }

        var (title, msg) = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("Not found", $"no endpoint at {http.Request.Path}; the API is described at {ApiRoutes.OpenApi}."),
            // Endpoints declare the JSON they accept, so routing refuses other media types before any handler runs.
            StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type",
                $"the body is '{http.Request.ContentType}'; send JSON with 'Content-Type: application/json' (pz apply converts YAML for you)."),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed", $"{http.Request.Method} is not served at {http.Request.Path}; the API is described at {ApiRoutes.OpenApi}."),
            var other => (ReasonPhrase(other), $"the console answered {other} to {http.Request.Method} {http.Request.Path}."),
        };
        await http.Response.WriteAsJsonAsync(new ApiError(title, msg), ApiJson.Options).ConfigureAwait(false);
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}

/// <summary>Knobs for tests and for `pz dev`; production uses the defaults.</summary>
public sealed record ConsoleHostOptions
{
    public TimeProvider? Time { get; init; }

    public TimeSpan? FailedLoginDelay { get; init; }

    /// <summary>How long a web UI session lasts without a request; spec.sessions.idleMinutes when null.</summary>
    public TimeSpan? SessionIdleTimeout { get; init; }

    /// <summary>How long a web UI session lasts at most; spec.sessions.lifetimeHours when null.</summary>
    public TimeSpan? SessionLifetime { get; init; }

    /// <summary>Failure budgets and the bound on concurrent password checks; <see cref="LoginLimits"/>' defaults when null.</summary>
    public LoginLimits? LoginLimits { get; init; }

    /// <summary>How the console reaches gateways; null for <see cref="HttpGatewayAdmin"/>, their HTTP admin API.</summary>
    public IGatewayAdmin? GatewayAdmin { get; init; }

    /// <summary>One more place the console's log lines go (after the same filters as standard error), for
    /// tests that check what the console recorded, such as its audit lines.</summary>
    public ILoggerProvider? ExtraLogger { get; init; }

    /// <summary>The reconciler's pace (and whether it runs at all).</summary>
    public ReconcilerOptions Reconciler { get; init; } = new();
}
