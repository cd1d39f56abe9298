using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PartnerZones.ConsoleBench;
using PartnerZones.ControlPlane;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Security;
using PartnerZones.Resources;

// Seeds ZONES partner zones (3 topics each) in a fresh SQLite store, starts the console on 127.0.0.1, signs
// in like a browser, and times REQUESTS sequential GETs of each page: request sent to last byte read, over
// loopback, so the figure is the server's render time plus a little socket time. The cluster's gateway
// address answers nothing (connection refused at once), as with a gateway that is down: usage and topic
// lists are then reported unavailable, which costs one refused connection per page at most.
//
//   dotnet run -c Release --project bench/PartnerZones.ConsoleBench -- [ZONES] [REQUESTS]
var zones = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
const string Password = "bench-password";

var directory = Directory.CreateTempSubdirectory("pz-console-bench-").FullName;
try
{
    var config = new ConsoleConfig
    {
        Spec = new ConsoleSpec
        {
            Listen = "http://127.0.0.1:0",
            Store = new StoreConfig { Sqlite = Path.Combine(directory, "console.db") },
            Admins = [new AdminUser { Name = "admin", PasswordHash = PasswordHash.Hash(Password, iterations: 10_000) }],
        },
    };
    await using var host = await ConsoleHost.StartAsync(config, BenchOptions.Create());
    var seeding = Stopwatch.StartNew();
    await SeedAsync(host, zones);
    Console.WriteLine($"seeded {zones} zones in {seeding.Elapsed.TotalSeconds:F1} s ({host.Store.Description})");

    var cookies = new CookieContainer();
    using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.Address };
    await SignInAsync(http, Password);

    var middle = $"zone-{zones / 2:D4}";
    var pages = new (string Name, string Path)[]
    {
        ($"list ({zones} zones)", "/"),
        ("list, search", "/?q=zone-01"),
        ("details", $"/zones/{middle}"),
        ("create (details step)", "/create"),
        ("edit", $"/zones/{middle}/edit"),
    };
    Console.WriteLine($"{requests} sequential requests per page after 20 warm-up requests; times in ms");
    Console.WriteLine($"{"page",-24} {"p50",8} {"p90",8} {"p99",8} {"max",8} {"KB",7}");
    foreach (var (name, path) in pages)
    {
        for (var i = 0; i < 20; i++)
        {
            await GetAsync(http, path);
        }

        var times = new double[requests];
        var bytes = 0;
        for (var i = 0; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            bytes = await GetAsync(http, path);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{name,-24} {Percentile(times, 0.50),8:F1} {Percentile(times, 0.90),8:F1} {Percentile(times, 0.99),8:F1} {times[^1],8:F1} {bytes / 1024.0,7:F0}");
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static async Task<int> GetAsync(HttpClient http, string path)
{
    using var response = await http.GetAsync(path);
    var body = await response.Content.ReadAsByteArrayAsync();
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
    }

    return body.Length;
}

static async Task SignInAsync(HttpClient http, string password)
{
    var form = await http.GetStringAsync("/signin");
    var token = Regex.Match(form, "name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    using var response = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["user"] = "admin",
        ["password"] = password,
        ["__csrf"] = token,
    }));
    if (response.StatusCode != HttpStatusCode.Redirect)
    {
        throw new InvalidOperationException($"sign-in answered {(int)response.StatusCode}");
    }
}

static async Task SeedAsync(ConsoleHost host, int count)
{
    var service = host.Services.GetRequiredService<ResourceService>();
    var cluster = new KafkaCluster
    {
        Metadata = new ResourceMetadata { Name = "gateway" },
        Spec = new KafkaClusterSpec
        {
            BootstrapServers = "127.0.0.1:1",
            AdminApi = new GatewayAdminApi { Url = "http://127.0.0.1:1", Username = "console", Password = "unused-password" },
        },
    };
    await service.UpsertAsync(new KafkaClusterRules(), JsonSerializer.SerializeToElement(cluster, ResourceJson.Options), false, CancellationToken.None);
    for (var i = 0; i < count; i++)
    {
        var name = $"zone-{i:D4}";
        var zone = new PartnerZone
        {
            Metadata = new ResourceMetadata { Name = name },
            Spec = new PartnerZoneSpec
            {
                Cluster = "gateway",
                DisplayName = $"Partner {i} orders",
                Url = $"https://wiki.example.com/partners/{i}",
                Description = "Order updates shared with the partner's warehouse system.",
                ServiceAccount = name,
                Topics =
                [
                    new SharedTopic { Name = "orders", BackingTopic = "orders", Permission = "WRITE" },
                    new SharedTopic { Name = "invoices", BackingTopic = "invoices", Permission = "READ" },
                    new SharedTopic { Name = "shipments", BackingTopic = $"shipments-{i % 10}", Permission = "READ" },
                ],
                Partner = new PartnerContact { Name = "Jane Roe", Role = "Integration lead", Email = $"partner{i}@example.com", Phone = "+44 20 7946 0000" },
            },
        };
        await service.UpsertAsync(new PartnerZoneRules(), JsonSerializer.SerializeToElement(zone, ResourceJson.Options), false, CancellationToken.None);
    }
}
