using System.Data.Common;
using System.Text;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;
using static PartnerZones.ControlPlane.Tests.Api.Documents;

namespace PartnerZones.ControlPlane.Tests.Store;

/// <summary>The gateway admin password of a KafkaCluster is encrypted in the store: no column of any
/// table (and, on SQLite, no byte of the database files) holds it, while the console reads it back and
/// calls the gateway with it. On SQLite and on PostgreSQL.</summary>
public abstract class SecretsAtRestTests(IStoreFixture fixture)
{
    [Fact]
    public async Task The_gateway_admin_password_is_stored_encrypted_and_read_back_plain()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var gateway = new PasswordRecordingGateway();
        await using var console = await TestConsole.StartAsync(await fixture.NewStoreAsync(), gateway);
        var cluster = Unique("gw");
        var (created, body) = await PutAsync(console.Client, "kafka-cluster", Cluster(cluster, password));
        Assert.True(created.IsSuccessStatusCode, body.ToString());

        var cells = await AllCellsAsync(console.StoreConfig);
        Assert.Contains(cells, c => c.Contains(cluster, StringComparison.Ordinal));
        Assert.DoesNotContain(cells, c => c.Contains(password, StringComparison.Ordinal));
        var spec = Assert.Single(cells, c => c.Contains("\"adminApi\"", StringComparison.Ordinal) && c.Contains("127.0.0.1:9094", StringComparison.Ordinal));
        Assert.Contains($"\"password\":\"{SecretCipherPrefix}", spec);

        if (console.StoreConfig.Sqlite is { } file)
        {
            foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
            {
                Assert.True((await ReadSharedAsync(path)).AsSpan().IndexOf(Encoding.UTF8.GetBytes(password)) < 0, $"{path} holds the password in clear");
            }
        }

        // The console reads it back: the reconciler's and credential endpoints' view has the password,
        // and the gateway is called with it.
        var stored = (await console.Host.Store.GetAsync(KafkaCluster.KindName, cluster, CancellationToken.None))!;
        Assert.Equal(password, KafkaClusterRules.WithSecrets(stored).Spec.AdminApi.Password);
        var zone = Unique("zone");
        Assert.True((await PutAsync(console.Client, "partner-zone", Zone(zone, cluster))).Response.IsSuccessStatusCode);
        var (issued, issuedBody) = await SendAsync(console.Client, HttpMethod.Post, $"/api/public/partner-zone/v2/{zone}/generate-credentials");
        Assert.True(issued.IsSuccessStatusCode, issuedBody.ToString());
        Assert.Equal([password], gateway.Passwords);

        // Decrypted specs compare as before: applying the same cluster again (with or without its
        // password) changes nothing, although every encryption of the password differs.
        Assert.Equal("NOT_CHANGED", (await PutAsync(console.Client, "kafka-cluster", Cluster(cluster, password))).Body.GetProperty("upsertResult").GetString());
        Assert.Equal("NOT_CHANGED", (await PutAsync(console.Client, "kafka-cluster", Cluster(cluster, password: null))).Body.GetProperty("upsertResult").GetString());
    }

    [Fact]
    public async Task A_password_that_needs_json_escapes_round_trips()
    {
        var password = "p\"w\\ä€😀\u0001-" + Guid.NewGuid().ToString("N")[..8];
        var cluster = Unique("gw");
        var (created, body) = await PutAsync(fixture.Console.Client, "kafka-cluster", Cluster(cluster, password));
        Assert.True(created.IsSuccessStatusCode, body.ToString());
        var stored = (await fixture.Console.Host.Store.GetAsync(KafkaCluster.KindName, cluster, CancellationToken.None))!;
        Assert.Equal(password, KafkaClusterRules.WithSecrets(stored).Spec.AdminApi.Password);
        Assert.DoesNotContain(await AllCellsAsync(fixture.Console.StoreConfig), c => c.Contains(password[^8..], StringComparison.Ordinal));
    }

    private const string SecretCipherPrefix = "pzenc:v1:";

    internal static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Every value of every table of the store, as text, read with the database's own client.</summary>
    internal static async Task<List<string>> AllCellsAsync(StoreConfig config)
    {
        await using DbConnection connection = config.Postgres is { } postgres
            ? new Npgsql.NpgsqlConnection(postgres)
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={config.Sqlite};Pooling=false");
        await connection.OpenAsync();
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

        var cells = new List<string>();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM {table}";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
                }
            }
        }

        return cells;
    }

    /// <summary>Records the admin password the console gives the gateway client; everything else succeeds empty.</summary>
    private sealed class PasswordRecordingGateway : IGatewayAdmin
    {
        public List<string?> Passwords { get; } = [];

        public Task DeployZoneAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RemoveZoneAsync(KafkaCluster cluster, string zoneName, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<PartnerZone>> ListZonesAsync(KafkaCluster cluster, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PartnerZone>>([]);

        public Task<IssuedCredential> IssueCredentialAsync(KafkaCluster cluster, PartnerZone zone, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            lock (Passwords)
            {
                Passwords.Add(cluster.Spec.AdminApi.Password);
            }

            return Task.FromResult(new IssuedCredential("id", zone.Spec.EffectiveServiceAccount!, "secret", DateTimeOffset.UtcNow + lifetime));
        }

        public Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CredentialInfo>>([]);

        public Task RevokeCredentialAsync(KafkaCluster cluster, PartnerZone zone, string credentialId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public sealed class SqliteSecretsAtRestTests(SqliteFixture fixture) : SecretsAtRestTests(fixture), IClassFixture<SqliteFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSecretsAtRestTests(PostgresFixture fixture) : SecretsAtRestTests(fixture);
