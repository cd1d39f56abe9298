using System.Net.Http.Json;
using System.Text.Json;
using PartnerZones.ControlPlane.Security;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.ControlPlane.Tests.Cli;

/// <summary>`pz console` as a process: serves the configured store, refuses a bad configuration with every
/// problem, and stops cleanly on SIGTERM.</summary>
public sealed class ConsoleCommandTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-console-cmd-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Serves_the_configured_store_and_stops_on_sigterm()
    {
        var hash = PasswordHash.Hash("pw", iterations: 10_000);
        var config = Path.Combine(_directory, "console.yaml");
        File.WriteAllText(config, $"""
            apiVersion: v2
            kind: Console
            metadata:
              name: console
            spec:
              listen: http://127.0.0.1:0
              store:
                sqlite: data/state.db
              admins:
                - name: admin
                  passwordHash: {hash}
            """);

        using var process = Pz.Background(new Dictionary<string, string>(), "console", "--config", config);
        var first = await process.ReadRequiredLineAsync(StartTimeout);
        Assert.Matches(@"^console listening on http://127\.0\.0\.1:\d+$", first);
        var url = first["console listening on ".Length..];
        Assert.Equal($"console store: SQLite {Path.Combine(_directory, "data", "state.db")}", await process.ReadRequiredLineAsync(StartTimeout));
        Assert.True(File.Exists(Path.Combine(_directory, "data", "state.db")));
        Assert.Equal($"console API description: {url}/openapi/v1.json", await process.ReadRequiredLineAsync(StartTimeout));
        Assert.Equal($"console web UI: {url}/ (sign in as one of spec.admins)", await process.ReadRequiredLineAsync(StartTimeout));

        var environment = new Dictionary<string, string> { ["PZ_BASE_URL"] = url, ["PZ_ADMIN_PASSWORD"] = "pw" };
        var (exit, key, error) = await Pz.RunAsync(environment, null, "token", "create", "smoke");
        Assert.True(exit == 0, error);
        environment["PZ_API_KEY"] = key.Trim();
        var (getExit, _, getError) = await Pz.RunAsync(environment, null, "get", "kafka-cluster");
        Assert.True(getExit == 0, getError);
        Assert.Contains("No KafkaCluster found.", getError);

        using var http = new HttpClient();
        var openApi = await http.GetFromJsonAsync<JsonElement>($"{url}/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/public/console/v2/partner-zone", out _));

        var stopped = await process.StopAsync(StopTimeout);
        Assert.True(stopped == 0, $"pz console exited {stopped}. {process.Printed()}");
    }

    [Fact]
    public async Task A_bad_configuration_is_refused_with_every_problem()
    {
        var config = Path.Combine(_directory, "bad.yaml");
        File.WriteAllText(config, """
            apiVersion: v2
            kind: Console
            metadata:
              name: console
            spec:
              listen: https://0.0.0.0:8080/api
              port: 9
              store:
                sqlite: a.db
                postgres: Host=db
              admins:
                - name: admin
                  passwordHash: plain-text
            """);
        var (exit, output, error) = await Pz.RunAsync(new Dictionary<string, string>(), null, "console", "--config", config);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("unknown field spec.port (line 7)", error);
        Assert.Contains("spec.listen 'https://0.0.0.0:8080/api' is not http://ADDRESS:PORT", error);
        Assert.Contains("spec.store names both sqlite and postgres", error);
        Assert.Contains("spec.admins[0].passwordHash is not a password hash", error);

        var (missingExit, _, missingError) = await Pz.RunAsync(new Dictionary<string, string>(), null, "console", "--config", Path.Combine(_directory, "none.yaml"));
        Assert.Equal(2, missingExit);
        Assert.Contains("cannot be read", missingError);
    }

    [Fact]
    public async Task An_unreachable_postgres_store_is_one_clear_error()
    {
        var config = Path.Combine(_directory, "pg.yaml");
        File.WriteAllText(config, $"""
            apiVersion: v2
            kind: Console
            metadata:
              name: console
            spec:
              listen: http://127.0.0.1:0
              store:
                postgres: Host=127.0.0.1;Port=1;Database=pz;Username=pz;Timeout=5
              admins:
                - name: admin
                  passwordHash: {PasswordHash.Hash("pw", iterations: 10_000)}
            """);
        var (exit, _, error) = await Pz.RunAsync(new Dictionary<string, string>(), null, "console", "--config", config);
        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pz console: cannot open the store (PostgreSQL 127.0.0.1:1/pz)", line);
    }

    [Fact]
    public async Task A_listen_address_in_use_is_one_clear_error()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var config = Path.Combine(_directory, "taken.yaml");
        File.WriteAllText(config, $"""
            apiVersion: v2
            kind: Console
            metadata:
              name: console
            spec:
              listen: http://127.0.0.1:{port}
              admins:
                - name: admin
                  passwordHash: {PasswordHash.Hash("pw", iterations: 10_000)}
            """);
        var (exit, _, error) = await Pz.RunAsync(new Dictionary<string, string>(), null, "console", "--config", config);
        Assert.Equal(2, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"pz console: cannot listen on http://127.0.0.1:{port}: ", line);
    }

    [Fact]
    public async Task Hash_password_prints_a_hash_the_console_accepts()
    {
        var (exit, output, _) = await Pz.RunAsync(new Dictionary<string, string>(), "s3cret\n", "console", "hash-password");
        Assert.Equal(0, exit);
        Assert.True(PasswordHash.Verify("s3cret", output.Trim()));
        Assert.False(PasswordHash.Verify("other", output.Trim()));

        var (emptyExit, _, error) = await Pz.RunAsync(new Dictionary<string, string>(), "", "console", "hash-password");
        Assert.Equal(2, emptyExit);
        Assert.Contains("no password on standard input", error);
    }
}
