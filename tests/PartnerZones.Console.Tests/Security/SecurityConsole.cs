using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Tests.Api;

namespace PartnerZones.ControlPlane.Tests.Security;

/// <summary>
/// A console for the authentication tests, started from <see cref="TestConsole.Config"/> with the changes a
/// test needs (its own clock, limits, TLS, proxies), on its own SQLite file, with one API key. Clients can
/// connect from any 127.0.0.0/8 address, so one test can be several sources.
/// </summary>
public sealed class SecurityConsole : IAsyncDisposable
{
    private readonly string _directory;

    private SecurityConsole(ConsoleHost host, string directory, string apiKey)
    {
        Host = host;
        _directory = directory;
        ApiKey = apiKey;
    }

    public ConsoleHost Host { get; }

    public Uri Url => Host.Address;

    public string ApiKey { get; }

    public static async Task<SecurityConsole> StartAsync(Func<ConsoleSpec, ConsoleSpec>? adjust = null, ConsoleHostOptions? options = null)
    {
        var directory = Directory.CreateTempSubdirectory("pz-console-security-").FullName;
        var config = TestConsole.Config(new StoreConfig { Sqlite = Path.Combine(directory, "console.db") });
        config = config with { Spec = adjust?.Invoke(config.Spec) ?? config.Spec };
        options ??= new ConsoleHostOptions();
        options = options with
        {
            FailedLoginDelay = options.FailedLoginDelay ?? TimeSpan.FromMilliseconds(20),
            Reconciler = new ControlPlane.Reconciliation.ReconcilerOptions { Enabled = false },
        };
        var host = await ConsoleHost.StartAsync(config, options);
        var key = ApiKeys.Generate();
        await host.Store.CreateApiKeyAsync("tests", ApiKeys.HashOf(key), TestConsole.AdminName, CancellationToken.None);
        return new SecurityConsole(host, directory, key);
    }

    /// <summary>An HTTP client whose connections come from <paramref name="from"/> (127.0.0.1 when null).</summary>
    public HttpClient Client(IPAddress? from = null, AuthenticationHeaderValue? authorization = null, CookieContainer? cookies = null, X509Certificate2Check? acceptCertificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (acceptCertificate is { } check)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && check(certificate);
        }

        var client = new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    public HttpClient AdminClient(string password, IPAddress? from = null, string user = TestConsole.AdminName) =>
        Client(from, new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))));

    public HttpClient KeyClient(string key, IPAddress? from = null) => Client(from, new AuthenticationHeaderValue("Bearer", key));

    /// <summary>Stores a KafkaCluster and a PartnerZone on it through the API; returns the zone's name.</summary>
    public async Task<string> CreateZoneAsync()
    {
        using var client = KeyClient(ApiKey);
        var cluster = Documents.Unique("gw");
        var zone = Documents.Unique("zone");
        Assert.True((await Documents.PutAsync(client, "kafka-cluster", Documents.Cluster(cluster))).Response.IsSuccessStatusCode);
        Assert.True((await Documents.PutAsync(client, "partner-zone", Documents.Zone(zone, cluster))).Response.IsSuccessStatusCode);
        return zone;
    }

    /// <summary>Whether the zone is still stored, asked through the API.</summary>
    public async Task<bool> ZoneExistsAsync(string zone)
    {
        using var client = KeyClient(ApiKey);
        var response = await client.GetAsync($"{Documents.Base}/partner-zone/{zone}");
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            var other => throw new InvalidOperationException($"GET partner-zone/{zone} answered {other}"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>Accepts the server certificate a test expects.</summary>
public delegate bool X509Certificate2Check(System.Security.Cryptography.X509Certificates.X509Certificate certificate);
