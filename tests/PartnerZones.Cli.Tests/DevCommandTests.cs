using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Testing;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Cli.Tests;

/// <summary>`pz dev` as a process: what it prints and writes, what a restart on the same data directory
/// keeps, and its one-line refusals.</summary>
public sealed class DevCommandTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-dev-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Starts_wired_together_and_a_restart_keeps_topics_zones_and_secrets()
    {
        var ports = LoopbackPorts.FreeRange(5);
        var dataDir = Path.Combine(_directory, "data");
        string[] args = ["dev", "--data-dir", dataDir, "--kafka-port", $"{ports}", "--gateway-port", $"{ports + 1}",
            "--gateway-admin-port", $"{ports + 3}", "--console-port", $"{ports + 4}"];

        string export;
        string gatewayPassword;
        using (var dev = PzProcess.Start(args))
        {
            var lines = await ReadUntilReadyAsync(dev);
            Assert.Contains(lines, l => l.StartsWith($"pz dev: data in {dataDir} (new passwords and API key generated", StringComparison.Ordinal));
            Assert.Contains($"KafkaCluster/gateway: Created (bootstrap 127.0.0.1:{ports + 1}, admin API http://127.0.0.1:{ports + 3})", lines);
            export = Assert.Single(lines, l => l.StartsWith("export ", StringComparison.Ordinal));
            Assert.Matches($@"^export PZ_BASE_URL=http://127\.0\.0\.1:{ports + 4} PZ_API_KEY=pzk_[A-Za-z0-9_-]{{43}}$", export);
            gatewayPassword = Assert.Single(lines, l => l.StartsWith("gateway admin API", StringComparison.Ordinal)).Split("password ")[1];

            // The env file says the same, owner-only, owner-only.
            var envFile = Path.Combine(dataDir, "env");
            Assert.Contains(export, File.ReadAllLines(envFile));
            Assert.True(!OperatingSystem.IsWindows() && File.GetUnixFileMode(envFile) == (UnixFileMode.UserRead | UnixFileMode.UserWrite),
                "the env file holds passwords: it must be readable by its owner only");

            // The console knows the gateway, the gateway's admin API takes the printed password, Kafka serves.
            using var console = Client($"http://127.0.0.1:{ports + 4}", new AuthenticationHeaderValue("Bearer", ApiKey(export)));
            var cluster = JsonDocument.Parse(await console.GetStringAsync("/api/public/console/v2/kafka-cluster/gateway")).RootElement;
            Assert.Equal($"127.0.0.1:{ports + 1}", cluster.GetProperty("spec").GetProperty("bootstrapServers").GetString());
            Assert.Equal($"http://127.0.0.1:{ports + 3}", cluster.GetProperty("spec").GetProperty("adminApi").GetProperty("url").GetString());
            using var put = await console.PutAsync("/api/public/console/v2/partner-zone", Json(Zone));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

            using var gateway = Client($"http://127.0.0.1:{ports + 3}", Basic("admin", gatewayPassword));
            Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/gateway/v2/partner-zone")).StatusCode);

            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = $"127.0.0.1:{ports}" }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = "kept-topic", NumPartitions = 2, ReplicationFactor = 1 }]);
            }

            // A second pz dev on the same data directory (other ports) is refused while this one runs.
            var other = LoopbackPorts.FreeRange(5);
            var (exit, _, error) = PzProcess.Run("dev", "--data-dir", dataDir, "--kafka-port", $"{other}", "--gateway-port", $"{other + 1}",
                "--gateway-admin-port", $"{other + 3}", "--console-port", $"{other + 4}");
            Assert.Equal(2, exit);
            Assert.StartsWith("pz dev: Data directory: ", error);
            Assert.Contains("is in use by another embedded cluster", error);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            dev.Terminate();
            Assert.Equal(0, await dev.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        using (var again = PzProcess.Start(args))
        {
            var lines = await ReadUntilReadyAsync(again);
            Assert.Contains(lines, l => l.Contains("(passwords and API key reused from secrets.json)", StringComparison.Ordinal));
            Assert.Contains(export, lines);
            Assert.Contains($"KafkaCluster/gateway: NotChanged (bootstrap 127.0.0.1:{ports + 1}, admin API http://127.0.0.1:{ports + 3})", lines);

            using var console = Client($"http://127.0.0.1:{ports + 4}", new AuthenticationHeaderValue("Bearer", ApiKey(export)));
            // The zone is still declared, and the console deploys it to the restarted gateway.
            var status = "";
            for (var attempt = 0; attempt < 120 && status != "READY"; attempt++)
            {
                await Task.Delay(attempt == 0 ? 0 : 500);
                var zone = JsonDocument.Parse(await console.GetStringAsync("/api/public/console/v2/partner-zone/kept-zone")).RootElement;
                status = zone.GetProperty("metadata").GetProperty("status").GetString()!;
            }

            Assert.Equal("READY", status);
            using var gateway = Client($"http://127.0.0.1:{ports + 3}", Basic("admin", gatewayPassword));
            Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/gateway/v2/partner-zone/kept-zone")).StatusCode);
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = $"127.0.0.1:{ports}" }).Build())
            {
                var topic = Assert.Single(admin.GetMetadata("kept-topic", TimeSpan.FromSeconds(20)).Topics);
                Assert.Equal(ErrorCode.NoError, topic.Error.Code);
                Assert.Equal(2, topic.Partitions.Count);
            }

            again.Terminate();
            Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
    }

    [Fact]
    public void A_taken_or_repeated_port_is_one_line_naming_the_flag()
    {
        var ports = LoopbackPorts.FreeRange(5);
        var dataDir = Path.Combine(_directory, "data");
        using var taken = new TcpListener(IPAddress.Loopback, ports + 4);
        taken.Start();

        var (exit, output, error) = PzProcess.Run("dev", "--data-dir", dataDir, "--kafka-port", $"{ports}", "--gateway-port", $"{ports + 1}",
            "--gateway-admin-port", $"{ports + 3}", "--console-port", $"{ports + 4}");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"pz dev: 127.0.0.1:{ports + 4} is already in use; stop what listens there or choose another port with --console-port.\n", error);

        (exit, _, error) = PzProcess.Run("dev", "--data-dir", dataDir, "--kafka-port", $"{ports}", "--gateway-port", $"{ports + 1}",
            "--gateway-admin-port", $"{ports + 2}", "--console-port", $"{ports + 3}");
        Assert.Equal(2, exit);
        Assert.Equal($"pz dev: port {ports + 2} is given to both --gateway-port (its broker port is the next one) and --gateway-admin-port; give each its own port.\n", error);

        (exit, _, error) = PzProcess.Run("dev", "--data-dir", dataDir, "--gateway-port", "80");
        Assert.Equal(2, exit);
        Assert.StartsWith("pz dev: --gateway-port '80' is not a port from 1024 to 65534.", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        File.WriteAllText(Path.Combine(_directory, "a-file"), "");
        (exit, _, error) = PzProcess.Run("dev", "--data-dir", Path.Combine(_directory, "a-file"));
        Assert.Equal(2, exit);
        Assert.Contains("--data-dir", error);
        Assert.Contains("is a file, not a directory", error);
    }

    private const string Zone = """
        {"apiVersion": "v2", "kind": "PartnerZone", "metadata": {"name": "kept-zone"},
         "spec": {"cluster": "gateway", "serviceAccount": "kept", "topics": [{"name": "t", "backingTopic": "kept-topic", "permission": "READ"}]}}
        """;

    private static async Task<List<string>> ReadUntilReadyAsync(PzBackground dev)
    {
        var lines = new List<string>();
        while (await dev.ReadLineAsync(StartTimeout) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith("pz dev: ready", StringComparison.Ordinal))
            {
                return lines;
            }
        }

        throw new Xunit.Sdk.XunitException($"pz dev exited before it was ready; stdout: {string.Join("\n", lines)}; stderr: {dev.Error}");
    }

    private static string ApiKey(string export) => export.Split("PZ_API_KEY=")[1];

    private static HttpClient Client(string url, AuthenticationHeaderValue authorization)
    {
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
