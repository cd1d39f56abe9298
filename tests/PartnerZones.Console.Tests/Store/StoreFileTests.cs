using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Store;

/// <summary>A SQLite store on disk: its files are owner-only, its key file guards the secrets (a wrong or
/// missing key is refused with the fix), and a store from before encryption is encrypted on open.
/// File modes are Unix modes: these tests run where the product runs, on Linux.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StoreFileTests : IDisposable
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = OwnerFile | UnixFileMode.UserExecute;
    private const UnixFileMode WorldReadable = OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _directory = Directory.CreateTempSubdirectory("pz-store-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_database_its_wal_and_shm_the_key_file_and_a_created_directory_are_owner_only()
    {
        var created = Path.Combine(_directory, "made-by-console", "state");
        var file = Path.Combine(created, "console.db");
        await using var console = await TestConsole.StartAsync(new StoreConfig { Sqlite = file });
        Assert.True((await PutAsync(console.Client, "kafka-cluster", Cluster(Unique("gw"), "a-password"))).Response.IsSuccessStatusCode);

        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(created));
        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(Path.GetDirectoryName(created)!));
        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + SqliteDialect.KeyFileSuffix })
        {
            Assert.True(File.Exists(path), $"{path} should exist while the console runs");
            Assert.Equal(OwnerFile, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task Files_an_older_console_left_readable_are_tightened_on_open()
    {
        var file = Path.Combine(_directory, "console.db");
        await (await ConsoleStore.OpenAsync(new SqliteDialect(file), CancellationToken.None)).DisposeAsync();
        var paths = new[] { file, file + SqliteDialect.KeyFileSuffix };
        File.WriteAllBytes(file + "-journal", []);
        foreach (var path in paths.Append(file + "-journal"))
        {
            File.SetUnixFileMode(path, WorldReadable);
        }

        var log = new ListLogger();
        await (await ConsoleStore.OpenAsync(new SqliteDialect(file), log, CancellationToken.None)).DisposeAsync();
        foreach (var path in paths.Append(file + "-journal").Where(File.Exists))
        {
            Assert.Equal(OwnerFile, File.GetUnixFileMode(path));
        }

        // Said once per file, when it had to be done; a second open has nothing to say.
        Assert.Equal([.. paths.Select(p => $"{p} was readable by other users; its mode is now 0600 (owner only)")], log.Lines.Where(l => !l.Contains("-journal", StringComparison.Ordinal)));
        var quiet = new ListLogger();
        await (await ConsoleStore.OpenAsync(new SqliteDialect(file), quiet, CancellationToken.None)).DisposeAsync();
        Assert.Empty(quiet.Lines);
    }

    [Fact]
    public async Task A_plain_text_password_from_an_older_store_is_encrypted_on_open()
    {
        var file = Path.Combine(_directory, "old.db");
        var password = "old-" + Guid.NewGuid().ToString("N");
        var spec = JsonSerializer.Serialize(
            new KafkaClusterSpec { BootstrapServers = "127.0.0.1:9094", AdminApi = new GatewayAdminApi { Url = "http://127.0.0.1:8888", Username = "admin", Password = password } },
            ResourceJson.Options);
        await WriteOldStoreAsync(file, spec);
        Assert.Contains(await SecretsAtRestTests.AllCellsAsync(new StoreConfig { Sqlite = file }), c => c.Contains(password, StringComparison.Ordinal));

        await using (var store = await ConsoleStore.OpenAsync(new SqliteDialect(file), CancellationToken.None))
        {
            var stored = (await store.GetAsync(KafkaCluster.KindName, "old", CancellationToken.None))!;
            Assert.Equal(spec, stored.Spec);
            Assert.Equal(password, KafkaClusterRules.WithSecrets(stored).Spec.AdminApi.Password);
            Assert.Equal(7, stored.Generation);
        }

        var cells = await SecretsAtRestTests.AllCellsAsync(new StoreConfig { Sqlite = file });
        Assert.DoesNotContain(cells, c => c.Contains(password, StringComparison.Ordinal));
        Assert.Contains(cells, c => c.Contains("\"password\":\"pzenc:v1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_opened_with_another_key_file_is_refused_with_the_fix()
    {
        var file = Path.Combine(_directory, "console.db");
        await WriteClusterAsync(file);
        var keyFile = file + SqliteDialect.KeyFileSuffix;
        File.WriteAllText(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");

        var error = await Assert.ThrowsAsync<StoreException>(() => ConsoleStore.OpenAsync(new SqliteDialect(file), CancellationToken.None));
        Assert.Contains(keyFile, error.Message);
        Assert.Contains("is not the key", error.Message);
        Assert.Contains("key file saved with this database", error.Message);
    }

    [Fact]
    public async Task A_store_whose_key_file_is_missing_is_refused_and_no_new_key_is_made()
    {
        var file = Path.Combine(_directory, "console.db");
        await WriteClusterAsync(file);
        var keyFile = file + SqliteDialect.KeyFileSuffix;
        File.Delete(keyFile);

        var error = await Assert.ThrowsAsync<StoreException>(() => ConsoleStore.OpenAsync(new SqliteDialect(file), CancellationToken.None));
        Assert.Contains(keyFile, error.Message);
        Assert.Contains("is missing", error.Message);
        Assert.False(File.Exists(keyFile));
    }

    [Fact]
    public async Task An_encrypted_password_copied_into_another_row_is_refused_not_misread()
    {
        var file = Path.Combine(_directory, "console.db");
        await WriteClusterAsync(file);
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var copy = connection.CreateCommand();
            copy.CommandText = "INSERT INTO resources (kind, name, id, labels, spec, status, failed_reason, updated_at, generation) "
                + "SELECT kind, 'copy', @id, labels, spec, status, failed_reason, updated_at, generation FROM resources WHERE name = 'gw'";
            copy.Parameters.AddWithValue("@id", Guid.NewGuid().ToString());
            Assert.Equal(1, await copy.ExecuteNonQueryAsync());
        }

        await using var store = await ConsoleStore.OpenAsync(new SqliteDialect(file), CancellationToken.None);
        Assert.Equal("stored-password", KafkaClusterRules.WithSecrets((await store.GetAsync(KafkaCluster.KindName, "gw", CancellationToken.None))!).Spec.AdminApi.Password);
        var error = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync(KafkaCluster.KindName, "copy", CancellationToken.None));
        Assert.Contains("KafkaCluster 'copy' spec.adminApi.password in the store cannot be decrypted", error.Message);
    }

    [Fact]
    public async Task A_key_file_that_is_not_a_key_is_refused()
    {
        var file = Path.Combine(_directory, "console.db");
        var keyFile = file + SqliteDialect.KeyFileSuffix;
        File.WriteAllText(keyFile, "not a key\n");
        var error = await Assert.ThrowsAsync<StoreException>(() => ConsoleStore.OpenAsync(new SqliteDialect(file), CancellationToken.None));
        Assert.Contains(keyFile, error.Message);
        Assert.Contains("does not hold a key", error.Message);
    }

    [Fact]
    public async Task A_configured_key_file_is_used_instead_of_the_default()
    {
        var file = Path.Combine(_directory, "console.db");
        var keyFile = Path.Combine(_directory, "keys", "store.key");
        await (await ConsoleStore.OpenAsync(new SqliteDialect(file, keyFile), CancellationToken.None)).DisposeAsync();
        Assert.Equal(OwnerFile, File.GetUnixFileMode(keyFile));
        Assert.False(File.Exists(file + SqliteDialect.KeyFileSuffix));
    }

    /// <summary>A store as a console before encryption at rest left it: the first migration only, and a
    /// KafkaCluster whose spec holds the password in plain text.</summary>
    private static async Task WriteOldStoreAsync(string file, string spec)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        await connection.OpenAsync();
        var (version, name, sql) = Migrator.Migrations[0];
        await using var command = connection.CreateCommand();
        command.CommandText =
            "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);"
            + sql
            + $";INSERT INTO schema_migrations VALUES ({version}, '{name}', 0);"
            + "INSERT INTO resources (kind, name, id, labels, spec, status, failed_reason, updated_at, generation) "
            + "VALUES ('KafkaCluster', 'old', @id, NULL, @spec, 'READY', NULL, 1000, 7);";
        command.Parameters.AddWithValue("@id", Guid.NewGuid().ToString());
        command.Parameters.AddWithValue("@spec", spec);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WriteClusterAsync(string file)
    {
        await using var store = await ConsoleStore.OpenAsync(new SqliteDialect(file), CancellationToken.None);
        var spec = JsonSerializer.Serialize(new KafkaClusterSpec { AdminApi = new GatewayAdminApi { Password = "stored-password" } }, ResourceJson.Options);
        await store.WriteAsync(async writer =>
        {
            await writer.InsertAsync(new StoredResource(KafkaCluster.KindName, "gw", Guid.NewGuid(), null, spec, ResourceStatus.Pending, null, DateTimeOffset.UnixEpoch, 1));
            return 0;
        }, CancellationToken.None);
    }

    /// <summary>Keeps what the store logs, one formatted line per message.</summary>
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
