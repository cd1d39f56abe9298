using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PartnerZones.ControlPlane;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Security;
using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Resources;
using PartnerZones.Testing;
using ConsoleAdmin = PartnerZones.ControlPlane.Configuration.AdminUser;
using GatewayAdmin = PartnerZones.Gateway.Configuration.AdminUser;

namespace PartnerZones.WebUi.Tests;

/// <summary>
/// Everything the UI talks to, real and in this process: an embedded Kafka cluster with a few topics, a
/// gateway in front of it with its admin API, a console on a SQLite file that knows the gateway as
/// KafkaCluster 'gateway', and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class WebUiStack : IAsyncLifetime
{
    public const string ConsoleAdminName = "admin";
    public const string ConsoleAdminPassword = "console-admin-password";
    public const string GatewayAdminName = "console";
    public const string GatewayAdminPassword = "gateway-admin-password-0123";
    public const string ClusterName = "gateway";

    /// <summary>Debian's Chromium; Playwright never downloads a browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Topics of the backing cluster the wizard offers.</summary>
    public static readonly string[] Topics = ["orders", "invoices", "payments", "shipments"];

    private static readonly string ConsoleAdminHash = PasswordHash.Hash(ConsoleAdminPassword, iterations: 10_000);

    private readonly string _directory = Directory.CreateTempSubdirectory("pz-webui-tests-").FullName;

    public EmbeddedCluster Cluster { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public int GatewayHttpPort { get; private set; }

    public ConsoleHost Console { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => Console.Address.ToString().TrimEnd('/');

    /// <summary>Where screenshots go: the test output folder (bin/.../screenshots).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing; install Debian's chromium with scripts/install-test-tools.sh (the web UI tests need it).");
        }

        Cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 1 });
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([.. Topics.Select(t => new TopicSpecification { Name = t, NumPartitions = t == "orders" ? 3 : 1, ReplicationFactor = 1 })]);
        }

        for (var attempt = 1; ; attempt++)
        {
            var basePort = LoopbackPorts.FreeRange(3);
            GatewayHttpPort = basePort + 2;
            var config = new GatewayConfig
            {
                Spec = new GatewaySpec
                {
                    Upstream = new UpstreamConfig { BootstrapServers = Cluster.BootstrapServers },
                    Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
                    Limits = new LimitsConfig { FailedLoginDelayMs = 100 },
                    Admin = new AdminConfig { Users = [new GatewayAdmin { Name = GatewayAdminName, Password = GatewayAdminPassword }] },
                },
            };
            try
            {
                Gateway = await GatewayHost.StartAsync(config, GatewayState.Empty, GatewayHttpPort);
                break;
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }

        Console = await StartConsoleAsync("console.db");
        var cluster = new KafkaCluster
        {
            Metadata = new ResourceMetadata { Name = ClusterName },
            Spec = new KafkaClusterSpec
            {
                DisplayName = "Partner gateway",
                BootstrapServers = Gateway.BootstrapServers,
                AdminApi = new GatewayAdminApi { Url = $"http://127.0.0.1:{GatewayHttpPort}", Username = GatewayAdminName, Password = GatewayAdminPassword },
            },
        };
        var service = Console.Services.GetRequiredService<ResourceService>();
        await service.UpsertAsync(new KafkaClusterRules(), JsonSerializer.SerializeToElement(cluster, ResourceJson.Options), false, CancellationToken.None);

        Directory.CreateDirectory(ScreenshotDirectory);
        // The machine is shared with builds and other suites: give the page time before an expectation fails.
        Assertions.SetDefaultExpectTimeout(20_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 120_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>Another console on an empty store of its own (for the empty state), disposed by the caller.</summary>
    public Task<ConsoleHost> StartSecondConsoleAsync(TimeSpan? sessionIdleTimeout = null) => StartConsoleAsync($"{Guid.NewGuid():N}.db", sessionIdleTimeout);

    private Task<ConsoleHost> StartConsoleAsync(string file, TimeSpan? sessionIdleTimeout = null) => ConsoleHost.StartAsync(
        new ConsoleConfig
        {
            Spec = new ConsoleSpec
            {
                Listen = "http://127.0.0.1:0",
                Store = new StoreConfig { Sqlite = Path.Combine(_directory, file) },
                Admins = [new ConsoleAdmin { Name = ConsoleAdminName, PasswordHash = ConsoleAdminHash }],
            },
        },
        new ConsoleHostOptions { FailedLoginDelay = TimeSpan.FromMilliseconds(50), SessionIdleTimeout = sessionIdleTimeout });

    /// <summary>A fresh browser context (own cookies) at 1280×800, its page signed in as the console admin.</summary>
    public async Task<IPage> SignedInPageAsync(int width = 1280, int height = 800)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync(BaseUrl + "/signin");
        await page.GetByLabel("User name").FillAsync(ConsoleAdminName);
        await page.GetByLabel("Password").FillAsync(ConsoleAdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(BaseUrl + "/");
        return page;
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page screenshot as screenshots/NAME.png in the test output.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Applies a zone straight through the console's service, for tests about other pages.</summary>
    public async Task ApplyZoneAsync(PartnerZone zone) =>
        await Console.Services.GetRequiredService<ResourceService>()
            .UpsertAsync(new PartnerZoneRules(), JsonSerializer.SerializeToElement(zone, ResourceJson.Options), false, CancellationToken.None);

    public static PartnerZone Zone(string name, params (string Alias, string Backing, string Permission)[] topics) => new()
    {
        Metadata = new ResourceMetadata { Name = name },
        Spec = new PartnerZoneSpec
        {
            Cluster = ClusterName,
            DisplayName = $"Zone {name}",
            ServiceAccount = name,
            Topics = [.. topics.Select(t => new SharedTopic { Name = t.Alias, BackingTopic = t.Backing, Permission = t.Permission })],
            Partner = new PartnerContact { Name = "Jane Roe", Role = "Integration lead", Email = "jane@example.com", Phone = "+44 20 7946 0000" },
        },
    };

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        if (Console is not null)
        {
            await Console.DisposeAsync();
        }

        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
