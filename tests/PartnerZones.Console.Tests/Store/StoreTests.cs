using System.Net.Http.Json;
using System.Text.Json;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Store;
using PartnerZones.ControlPlane.Tests.Api;

namespace PartnerZones.ControlPlane.Tests.Store;

/// <summary>Migrations and the reconciler's status updates, on both stores.</summary>
public abstract class StoreTests(IStoreFixture fixture)
{
    [Fact]
    public async Task Migrations_apply_once_and_are_recorded()
    {
        var config = await fixture.NewStoreAsync();
        await using (var dialect = Dialect(config))
        {
            Assert.Equal(Migrator.Migrations.Count, await Migrator.ApplyAsync(dialect, CancellationToken.None));
        }

        await using (var dialect = Dialect(config))
        {
            Assert.Equal(0, await Migrator.ApplyAsync(dialect, CancellationToken.None));
            await using var connection = await dialect.OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM schema_migrations";
            Assert.Equal(Migrator.Migrations.Count, Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task A_store_from_a_newer_console_is_refused()
    {
        var config = await fixture.NewStoreAsync();
        await using (var dialect = Dialect(config))
        {
            await Migrator.ApplyAsync(dialect, CancellationToken.None);
            await using var connection = await dialect.OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 0)";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<StoreException>(() => ConsoleStore.OpenAsync(Dialect(config), CancellationToken.None));
        Assert.Contains("schema version 9999, newer than this console", error.Message);
    }

    [Fact]
    public async Task Status_updates_apply_only_to_the_generation_they_deployed()
    {
        var console = fixture.Console;
        var cluster = await Documents.CreateClusterAsync(console.Client);
        var name = Documents.Unique("zone");
        await Documents.PutAsync(console.Client, "partner-zone", Documents.Zone(name, cluster));
        var stored = (await console.Host.Store.GetAsync("PartnerZone", name, CancellationToken.None))!;
        Assert.Equal(1, stored.Generation);

        Assert.True(await console.Host.Store.SetStatusAsync("PartnerZone", name, 1, ResourceStatus.Failed, "gateway unreachable", CancellationToken.None));
        var failed = await console.Client.GetFromJsonAsync<JsonElement>($"{Documents.Base}/partner-zone/{name}");
        Assert.Equal("FAILED", failed.GetProperty("metadata").GetProperty("status").GetString());
        Assert.Equal("gateway unreachable", failed.GetProperty("metadata").GetProperty("failedReason").GetString());

        var changed = Documents.Zone(name, cluster);
        changed["spec"]!["displayName"] = "v2";
        await Documents.PutAsync(console.Client, "partner-zone", changed);
        var pending = await console.Client.GetFromJsonAsync<JsonElement>($"{Documents.Base}/partner-zone/{name}");
        Assert.Equal("PENDING", pending.GetProperty("metadata").GetProperty("status").GetString());
        Assert.False(pending.GetProperty("metadata").TryGetProperty("failedReason", out _));

        // A slow deployment of generation 1 finishing now must not mark generation 2 READY.
        Assert.False(await console.Host.Store.SetStatusAsync("PartnerZone", name, 1, ResourceStatus.Ready, null, CancellationToken.None));
        Assert.True(await console.Host.Store.SetStatusAsync("PartnerZone", name, 2, ResourceStatus.Ready, null, CancellationToken.None));
        Assert.Equal("READY", (await console.Host.Store.GetAsync("PartnerZone", name, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Usage_baselines_are_kept_once_per_zone_and_cluster_and_go_with_a_confirmed_deletion()
    {
        var store = fixture.Console.Host.Store;
        var (id, other) = (Guid.NewGuid(), Guid.NewGuid());
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        Assert.True(await store.AddUsageBaselineAsync(new UsageBaseline(id, "gw", 5, 100, 200, at, at), CancellationToken.None));
        Assert.True(await store.AddUsageBaselineAsync(new UsageBaseline(other, "gw", 0, 0, 0, null, at), CancellationToken.None));
        // The first baseline is the one that separates this zone from its predecessors: never replaced.
        Assert.False(await store.AddUsageBaselineAsync(new UsageBaseline(id, "gw", 9, 900, 900, null, at), CancellationToken.None));
        Assert.Equal(new UsageBaseline(id, "gw", 5, 100, 200, at, at), await store.GetUsageBaselineAsync(id, "gw", CancellationToken.None));
        Assert.Equal(new UsageBaseline(other, "gw", 0, 0, 0, null, at), await store.GetUsageBaselineAsync(other, "gw", CancellationToken.None));
        Assert.Null(await store.GetUsageBaselineAsync(id, "another-gw", CancellationToken.None));
    }

    [Fact]
    public async Task A_confirmed_deletion_removes_only_the_deleting_row_it_read()
    {
        var console = fixture.Console;
        var cluster = await Documents.CreateClusterAsync(console.Client);
        var name = Documents.Unique("zone");
        await Documents.PutAsync(console.Client, "partner-zone", Documents.Zone(name, cluster));
        var stored = (await console.Host.Store.GetAsync("PartnerZone", name, CancellationToken.None))!;
        await console.Host.Store.AddUsageBaselineAsync(new UsageBaseline(stored.Id, cluster, 1, 1, 1, null, DateTimeOffset.UnixEpoch), CancellationToken.None);

        // Not DELETING (this console's reconciler is off, so its deletes are immediate): nothing to confirm.
        Assert.False(await console.Host.Store.RemoveDeletedAsync("PartnerZone", name, stored.Id, stored.Generation, CancellationToken.None));
        Assert.NotNull(await console.Host.Store.GetAsync("PartnerZone", name, CancellationToken.None));

        await console.Host.Store.WriteAsync(async writer =>
        {
            await writer.UpdateAsync(stored with { Status = ResourceStatus.Deleting, Generation = stored.Generation + 1 });
            return true;
        }, CancellationToken.None);
        Assert.False(await console.Host.Store.RemoveDeletedAsync("PartnerZone", name, stored.Id, stored.Generation, CancellationToken.None));
        Assert.False(await console.Host.Store.RemoveDeletedAsync("PartnerZone", name, Guid.NewGuid(), stored.Generation + 1, CancellationToken.None));
        Assert.True(await console.Host.Store.RemoveDeletedAsync("PartnerZone", name, stored.Id, stored.Generation + 1, CancellationToken.None));
        Assert.Null(await console.Host.Store.GetAsync("PartnerZone", name, CancellationToken.None));
        Assert.Null(await console.Host.Store.GetUsageBaselineAsync(stored.Id, cluster, CancellationToken.None));
    }

    private static StoreDialect Dialect(StoreConfig config) =>
        config.Postgres is { } postgres ? new PostgresDialect(postgres) : new SqliteDialect(config.Sqlite!);
}

public sealed class SqliteStoreTests(SqliteFixture fixture) : StoreTests(fixture), IClassFixture<SqliteFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresFixture fixture) : StoreTests(fixture);
