using Npgsql;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Tests.Cli;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.ControlPlane.Tests.Verification;

/// <summary>`pz console --config FILE` picks its store from the file: a SQLite file beside it when the file
/// names none, and the PostgreSQL server of a connection string, with the schema migrated at start and
/// what `pz apply` sends kept there.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsoleStoreSelectionTests(PostgresFixture fixture) : IDisposable
{
    private static readonly string Hash = PasswordHash.Hash("pw", iterations: 10_000);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-console-store-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Without_a_store_the_console_keeps_a_sqlite_file_beside_its_configuration()
    {
        var config = Write("none.yaml", "");
        var (url, storeLine) = await RunConsoleAsync(config, async _ => await Task.CompletedTask);
        Assert.StartsWith("http://127.0.0.1:", url);
        Assert.Equal($"console store: SQLite {Path.Combine(_directory, "console.db")}", storeLine);
        Assert.True(File.Exists(Path.Combine(_directory, "console.db")));
    }

    [Fact]
    public async Task With_a_postgres_connection_string_the_console_migrates_and_uses_that_database()
    {
        var connectionString = (await fixture.NewStoreAsync()).Postgres!;
        var config = Write("pg.yaml", $"  store:\n    postgres: \"{connectionString}\"\n");
        var cluster = $"gw-{Guid.NewGuid():N}"[..16];
        var (_, storeLine) = await RunConsoleAsync(config, async url =>
        {
            var admin = new Dictionary<string, string> { ["PZ_BASE_URL"] = url, ["PZ_ADMIN_PASSWORD"] = "pw" };
            var (exit, key, error) = await Pz.RunAsync(admin, null, "token", "create", "store-test");
            Assert.True(exit == 0, error);
            var client = new Dictionary<string, string> { ["PZ_BASE_URL"] = url, ["PZ_API_KEY"] = key.Trim() };
            var file = Write("cluster.yaml", ClientCommandTests.ClusterYaml(cluster), raw: true);
            (exit, var output, error) = await Pz.RunAsync(client, null, "apply", "-f", file);
            Assert.True(exit == 0, error);
            Assert.Equal($"KafkaCluster/{cluster}: Created\n", output);
        });
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Assert.StartsWith($"console store: PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}", storeLine);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var migrations = new NpgsqlCommand("SELECT COUNT(*) FROM schema_migrations", connection))
        {
            Assert.Equal(ControlPlane.Store.Migrator.Migrations.Count, Convert.ToInt32(await migrations.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        await using var stored = new NpgsqlCommand("SELECT kind FROM resources WHERE name = @name", connection);
        stored.Parameters.AddWithValue("name", cluster);
        Assert.Equal("KafkaCluster", await stored.ExecuteScalarAsync());
    }

    /// <summary>Runs `pz console`, hands its URL to <paramref name="use"/>, stops it with SIGTERM; returns the URL and the store line.</summary>
    private static async Task<(string Url, string StoreLine)> RunConsoleAsync(string config, Func<string, Task> use)
    {
        using var console = Pz.Background(new Dictionary<string, string>(), "console", "--config", config);
        var first = await console.ReadRequiredLineAsync(StartTimeout);
        Assert.StartsWith("console listening on ", first);
        var url = first["console listening on ".Length..];
        var storeLine = await console.ReadRequiredLineAsync(StartTimeout);
        await use(url);
        var exit = await console.StopAsync(StopTimeout);
        Assert.True(exit == 0, $"pz console exited {exit}. {console.Printed()}");
        return (url, storeLine);
    }

    private string Write(string name, string store, bool raw = false)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, raw ? store : $"""
            apiVersion: v2
            kind: Console
            metadata:
              name: console
            spec:
              listen: http://127.0.0.1:0
              admins:
                - name: admin
                  passwordHash: {Hash}

            """ + store);
        return path;
    }
}
