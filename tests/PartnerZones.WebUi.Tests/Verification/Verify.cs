using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PartnerZones.ControlPlane;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Store;
using PartnerZones.ControlPlane.Web;
using PartnerZones.Resources;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>What the verification tests share: bounded waits, a signed-in page on any console, a real
/// partner client with a credential issued by the gateway, and a console of their own (reconciler off)
/// for tests that must not disturb the shared one.</summary>
internal static class Verify
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {Patience.TotalSeconds} s for: {what}");
            await Task.Delay(250);
        }
    }

    public static async Task<ZoneView> WaitForStatusAsync(WebUiStack stack, string zone, string status)
    {
        var views = stack.Console.Services.GetRequiredService<ZoneViews>();
        ZoneView? view = null;
        await WaitForAsync(async () => (view = await views.GetAsync(zone, CancellationToken.None))?.Status == status, $"zone {zone} to be {status}");
        return view!;
    }

    public static async Task SignInAsync(IPage page, string baseUrl)
    {
        await page.GotoAsync(baseUrl + "/signin");
        await page.GetByLabel("User name").FillAsync(WebUiStack.ConsoleAdminName);
        await page.GetByLabel("Password").FillAsync(WebUiStack.ConsoleAdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(baseUrl + "/");
    }

    /// <summary>A credential for <paramref name="zone"/>, issued by the gateway as the details page does.</summary>
    public static async Task<IssuedCredential> IssueAsync(WebUiStack stack, string zone)
    {
        var views = stack.Console.Services.GetRequiredService<ZoneViews>();
        var view = await views.GetAsync(zone, CancellationToken.None) ?? throw new InvalidOperationException($"no zone {zone}");
        var cluster = await views.ClusterAsync(view.Spec.Cluster, CancellationToken.None) ?? throw new InvalidOperationException("no cluster");
        return await stack.Console.Services.GetRequiredService<IGatewayAdmin>().IssueCredentialAsync(cluster, view.Zone, TimeSpan.FromDays(1), CancellationToken.None);
    }

    public static IProducer<string, string> Producer(WebUiStack stack, IssuedCredential credential) =>
        new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = stack.Gateway.BootstrapServers,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = credential.Username,
            SaslPassword = credential.Password,
            MessageTimeoutMs = 15_000,
            SocketTimeoutMs = 10_000,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();

    /// <summary>The gateway's own count of the zone's open partner connections, from its metrics.</summary>
    public static async Task<long> ZoneConnectionsAsync(WebUiStack stack, string zone)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{stack.GatewayHttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{WebUiStack.GatewayAdminName}:{WebUiStack.GatewayAdminPassword}")));
        var metrics = await http.GetStringAsync("/metrics");
        var prefix = $"pz_gateway_zone_connections{{zone=\"{zone}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : (long)double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>A console on a store of its own with the reconciler off (so it never touches the shared
    /// gateway), optionally knowing the shared gateway as its cluster. Disposed by the caller.</summary>
    public static async Task<ConsoleHost> StartOwnConsoleAsync(WebUiStack stack, string directory, bool withCluster, string? adminUrl = null, ReconcilerOptions? reconciler = null)
    {
        var console = await ConsoleHost.StartAsync(
            new ConsoleConfig
            {
                Spec = new ConsoleSpec
                {
                    Listen = "http://127.0.0.1:0",
                    Store = new StoreConfig { Sqlite = Path.Combine(directory, "own.db") },
                    Admins = [new PartnerZones.ControlPlane.Configuration.AdminUser { Name = WebUiStack.ConsoleAdminName, PasswordHash = PasswordHash.Hash(WebUiStack.ConsoleAdminPassword, iterations: 10_000) }],
                },
            },
            new ConsoleHostOptions { FailedLoginDelay = TimeSpan.FromMilliseconds(50), Reconciler = reconciler ?? new ReconcilerOptions { Enabled = false } });
        if (withCluster)
        {
            var cluster = new KafkaCluster
            {
                Metadata = new ResourceMetadata { Name = WebUiStack.ClusterName },
                Spec = new KafkaClusterSpec
                {
                    DisplayName = "Partner gateway",
                    BootstrapServers = adminUrl is null ? stack.Gateway.BootstrapServers : "127.0.0.1:" + new Uri(adminUrl).Port,
                    AdminApi = new GatewayAdminApi { Url = adminUrl ?? $"http://127.0.0.1:{stack.GatewayHttpPort}", Username = WebUiStack.GatewayAdminName, Password = WebUiStack.GatewayAdminPassword },
                },
            };
            await console.Services.GetRequiredService<ResourceService>()
                .UpsertAsync(new KafkaClusterRules(), JsonSerializer.SerializeToElement(cluster, ResourceJson.Options), false, CancellationToken.None);
        }

        return console;
    }

    /// <summary>Writes a row straight into a store, bypassing every check (to force a failure on a page).</summary>
    public static Task InsertRawAsync(ConsoleStore store, string kind, string name, string spec) =>
        store.WriteAsync(async writer =>
        {
            await writer.InsertAsync(new StoredResource(kind, name, Guid.NewGuid(), null, spec, ResourceStatus.Pending, null, DateTimeOffset.UtcNow, 1));
            return true;
        }, CancellationToken.None);

    /// <summary>Whether the page scrolls sideways (its own width beyond the window).</summary>
    public static Task<bool> OverflowsAsync(IPage page) =>
        page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
}
