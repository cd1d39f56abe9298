using System.Net;
using System.Security.Cryptography;
using System.Text;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Store;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Verification;

/// <summary>API keys are stored hashed: after an admin creates one, no table of the store holds the key
/// itself (and, on SQLite, neither do the database files' bytes), while the key's SHA-256 is there and
/// the key works. On SQLite and on PostgreSQL.</summary>
public abstract class ApiKeyStorageTests(IStoreFixture fixture)
{
    [Fact]
    public async Task An_api_key_is_stored_only_as_its_sha256()
    {
        using var admin = fixture.Console.AdminClient();
        var name = Unique("hashed");
        var (created, body) = await SendAsync(admin, HttpMethod.Post, $"{Base}/token", $"{{\"name\": \"{name}\"}}");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = body.GetProperty("token").GetString()!;
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        using (var withKey = fixture.Console.CreateClient(new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key)))
        {
            Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync($"{Base}/kafka-cluster")).StatusCode);
        }

        var cells = await AllCellsAsync(fixture.Console.StoreConfig);
        Assert.True(cells.Count > 10, $"read only {cells.Count} values from the store");
        Assert.DoesNotContain(cells, c => c.Contains(key, StringComparison.Ordinal) || c.Contains(key[4..], StringComparison.Ordinal));
        Assert.Contains(digest, cells);

        if (fixture.Console.StoreConfig.Sqlite is { } file)
        {
            foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                Assert.True(copy.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(key[4..])) < 0, $"{path} holds the API key in clear");
            }
        }
    }

    /// <summary>Every value of every table of the store, as text.</summary>
    private static async Task<List<string>> AllCellsAsync(StoreConfig config)
    {
        await using StoreDialect dialect = config.Postgres is { } postgres ? new PostgresDialect(postgres) : new SqliteDialect(config.Sqlite!);
        await using var connection = await dialect.OpenAsync(CancellationToken.None);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = config.Postgres is null
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("api_keys", tables);
        var cells = new List<string>();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
                }
            }
        }

        return cells;
    }
}

public sealed class SqliteApiKeyStorageTests(SqliteFixture fixture) : ApiKeyStorageTests(fixture), IClassFixture<SqliteFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresApiKeyStorageTests(PostgresFixture fixture) : ApiKeyStorageTests(fixture);
