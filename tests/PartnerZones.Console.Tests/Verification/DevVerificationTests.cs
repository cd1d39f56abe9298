using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PartnerZones.ControlPlane.Tests.Cli;
using PartnerZones.Testing;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.ControlPlane.Tests.Verification;

/// <summary>
/// `pz dev` as a process, for what the other tests leave out: its documented defaults, and that every
/// secret it prints and writes to its env file works, the console admin password included (the
/// walkthrough never uses it): loaded with <c>. DATA_DIR/env</c>, `pz token list`, `pz get` and the
/// gateway's admin API all take what the file says.
/// </summary>
public sealed class DevVerificationTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-dev-verification-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Help_states_the_default_ports_and_data_directory_of_the_issue()
    {
        var (exit, output, _) = await Pz.RunAsync(new Dictionary<string, string>(), null, "dev", "--help");
        Assert.Equal(0, exit);
        foreach (var (flag, value) in new[] { ("--data-dir", ".pz-dev"), ("--kafka-port", "19092"), ("--gateway-port", "9094"), ("--gateway-admin-port", "8888"), ("--console-port", "8080") })
        {
            var line = Assert.Single(output.Split('\n'), l => l.TrimStart().StartsWith(flag + " ", StringComparison.Ordinal));
            Assert.EndsWith($"[default: {value}]", line.TrimEnd());
        }
    }

    [Fact]
    public async Task Every_printed_secret_works_when_loaded_from_the_env_file()
    {
        var ports = LoopbackPorts.FreeRange(5);
        var dataDir = Path.Combine(_directory, "data");
        using var dev = Pz.Background(new Dictionary<string, string>(),
            "dev", "--data-dir", dataDir, "--kafka-port", $"{ports}", "--gateway-port", $"{ports + 1}", "--gateway-admin-port", $"{ports + 3}", "--console-port", $"{ports + 4}");
        var lines = new List<string>();
        while (await dev.ReadLineAsync(StartTimeout) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith("pz dev: ready", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.True(lines.Any(l => l.StartsWith("pz dev: ready", StringComparison.Ordinal)), $"pz dev did not get ready. {dev.Printed()}");
        var env = await LoadEnvAsync(Path.Combine(dataDir, "env"));
        foreach (var name in new[] { "PZ_BASE_URL", "PZ_API_KEY", "PZ_ADMIN_USER", "PZ_ADMIN_PASSWORD", "PZ_KAFKA_BOOTSTRAP", "PZ_GATEWAY_BOOTSTRAP", "PZ_GATEWAY_ADMIN_URL", "PZ_GATEWAY_ADMIN_USER", "PZ_GATEWAY_ADMIN_PASSWORD" })
        {
            Assert.True(env.TryGetValue(name, out var value) && value.Length > 0, $"the env file sets no {name}");
        }

        Assert.Equal($"http://127.0.0.1:{ports + 4}", env["PZ_BASE_URL"]);
        Assert.Equal($"127.0.0.1:{ports}", env["PZ_KAFKA_BOOTSTRAP"]);
        Assert.Equal($"127.0.0.1:{ports + 1}", env["PZ_GATEWAY_BOOTSTRAP"]);
        Assert.Equal($"http://127.0.0.1:{ports + 3}", env["PZ_GATEWAY_ADMIN_URL"]);

        // What it printed is what the file says: the console's admin password and the API key.
        var consoleLine = Assert.Single(lines, l => l.StartsWith("console (web UI and API) ", StringComparison.Ordinal) && l.Contains($"http://127.0.0.1:{ports + 4}", StringComparison.Ordinal));
        Assert.EndsWith($"user {env["PZ_ADMIN_USER"]}, password {env["PZ_ADMIN_PASSWORD"]}", consoleLine);
        Assert.Contains(lines, l => l.StartsWith("console API key ", StringComparison.Ordinal) && l.EndsWith(env["PZ_API_KEY"], StringComparison.Ordinal));

        // The console admin password manages API keys; the key reads the registered cluster.
        var admin = new Dictionary<string, string> { ["PZ_BASE_URL"] = env["PZ_BASE_URL"], ["PZ_ADMIN_USER"] = env["PZ_ADMIN_USER"], ["PZ_ADMIN_PASSWORD"] = env["PZ_ADMIN_PASSWORD"] };
        var (exit, table, tokenError) = await Pz.RunAsync(admin, null, "token", "list");
        Assert.True(exit == 0, tokenError);
        Assert.Contains(table.Split('\n'), l => l.Contains(" pz-dev ", StringComparison.Ordinal));
        var client = new Dictionary<string, string> { ["PZ_BASE_URL"] = env["PZ_BASE_URL"], ["PZ_API_KEY"] = env["PZ_API_KEY"] };
        var (getExit, json, getError) = await Pz.RunAsync(client, null, "get", "kc", "gateway", "-o", "json");
        Assert.True(getExit == 0, getError);
        var spec = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("spec");
        Assert.Equal(env["PZ_GATEWAY_BOOTSTRAP"], spec.GetProperty("bootstrapServers").GetString());
        Assert.Equal(env["PZ_GATEWAY_ADMIN_URL"], spec.GetProperty("adminApi").GetProperty("url").GetString());

        // The gateway admin password opens the gateway's admin API, and a wrong one does not.
        using var http = new HttpClient { BaseAddress = new Uri(env["PZ_GATEWAY_ADMIN_URL"]), Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, (await SendAsBasicAsync(http, env["PZ_GATEWAY_ADMIN_USER"], env["PZ_GATEWAY_ADMIN_PASSWORD"])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsBasicAsync(http, env["PZ_GATEWAY_ADMIN_USER"], "wrong")).StatusCode);

        var stopped = await dev.StopAsync(TimeSpan.FromSeconds(60));
        Assert.True(stopped == 0, $"pz dev exited {stopped}. {dev.Printed()}");
    }

    /// <summary>The variables the env file sets, as bash sees them after <c>. FILE</c>.</summary>
    private static async Task<Dictionary<string, string>> LoadEnvAsync(string file)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -e; . \"$1\"; env");
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(file);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("PZ_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var error = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, $". {file} failed: {error}");
        return output.Split('\n')
            .Where(l => l.StartsWith("PZ_", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsBasicAsync(HttpClient http, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gateway/v2/partner-zone");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await http.SendAsync(request);
    }
}
