using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace PartnerZones.ControlPlane.Store;

/// <summary>
/// Desired state and API keys in SQL. Reads run on their own connection; every read-check-write sequence
/// runs through <see cref="WriteAsync{T}"/>, inside one transaction that excludes other writers, so rules
/// that span rows (a zone's cluster exists, a service account belongs to one zone) hold under concurrency.
/// Secrets in specs are encrypted on the way in and decrypted on the way out (<see cref="SecretFields"/>),
/// so callers see plain specs and the database holds none.
/// </summary>
public sealed class ConsoleStore : IAsyncDisposable
{
    private const string ResourceColumns = "kind, name, id, labels, spec, status, failed_reason, updated_at, generation";
    private const string KeyColumns = "id, name, created_by, created_at, last_used_at, revoked_at";

    private readonly StoreDialect _dialect;
    private readonly SecretCipher _cipher;

    private ConsoleStore(StoreDialect dialect, SecretCipher cipher)
    {
        _dialect = dialect;
        _cipher = cipher;
    }

    public string Description => _dialect.Description;

    /// <inheritdoc cref="OpenAsync(StoreDialect, ILogger?, CancellationToken)"/>
    public static Task<ConsoleStore> OpenAsync(StoreDialect dialect, CancellationToken cancellationToken) => OpenAsync(dialect, null, cancellationToken);

    /// <summary>Opens the store, brings its schema up to date and checks its key file (see
    /// <see cref="SecretsAtRest"/>). Throws <see cref="StoreException"/> with one clear message when the
    /// database or the key file cannot be used. <paramref name="logger"/> hears about files whose modes had
    /// to be tightened and secrets that had to be encrypted; standard error when null.</summary>
    public static async Task<ConsoleStore> OpenAsync(StoreDialect dialect, ILogger? logger, CancellationToken cancellationToken)
    {
        logger ??= StoreLog.StandardError;
        try
        {
            if (dialect is SqliteDialect sqlite)
            {
                await sqlite.PrepareAsync(logger, cancellationToken).ConfigureAwait(false);
            }

            await Migrator.ApplyAsync(dialect, cancellationToken).ConfigureAwait(false);
            var cipher = await SecretsAtRest.PrepareAsync(dialect, logger, cancellationToken).ConfigureAwait(false);
            return new ConsoleStore(dialect, cipher);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await dialect.DisposeAsync().ConfigureAwait(false);
            throw new StoreException($"cannot open the store ({dialect.Description}): {e.Message}", e);
        }
        catch
        {
            await dialect.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<StoredResource?> GetAsync(string kind, string name, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(connection, null, _cipher, kind, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredResource>> ListAsync(string kind, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ListAsync(connection, null, _cipher, kind, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in one exclusive write transaction; commits when it returns,
    /// rolls back when it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<StoreWriter, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var result = await work(new StoreWriter(connection, transaction, _cipher, cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>For the reconciler: records the outcome of deploying <paramref name="generation"/>. Does
    /// nothing (returns false) when the resource was changed or deleted since, so a slow deployment of an
    /// old spec can never mark a newer one READY.</summary>
    public async Task<bool> SetStatusAsync(string kind, string name, long generation, string status, string? failedReason, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null,
            "UPDATE resources SET status = @status, failed_reason = @reason WHERE kind = @kind AND name = @name AND generation = @generation");
        Sql.Add(command, "status", status);
        Sql.Add(command, "reason", failedReason);
        Sql.Add(command, "kind", kind);
        Sql.Add(command, "name", name);
        Sql.Add(command, "generation", generation);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>For the reconciler, once every gateway that served the resource confirmed its removal:
    /// removes the row, but only while it is still the DELETING one the reconciler read (same id and
    /// generation), so a confirmation can never remove anything else. True when it removed it.</summary>
    public async Task<bool> RemoveDeletedAsync(string kind, string name, Guid id, long generation, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null,
            "DELETE FROM resources WHERE kind = @kind AND name = @name AND id = @id AND generation = @generation AND status = @status");
        Sql.Add(command, "kind", kind);
        Sql.Add(command, "name", name);
        Sql.Add(command, "id", id.ToString());
        Sql.Add(command, "generation", generation);
        Sql.Add(command, "status", ResourceStatus.Deleting);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }

        // Its usage baselines go with it: ids are never reused, so nothing else will read them.
        await using var baselines = Sql.Command(connection, null, "DELETE FROM usage_baselines WHERE zone_id = @id");
        Sql.Add(baselines, "id", id.ToString());
        await baselines.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The baseline of zone <paramref name="zoneId"/> on <paramref name="cluster"/>'s gateway, or null.</summary>
    public async Task<UsageBaseline?> GetUsageBaselineAsync(Guid zoneId, string cluster, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null,
            "SELECT requests, bytes_in, bytes_out, last_seen_at, taken_at FROM usage_baselines WHERE zone_id = @id AND cluster = @cluster");
        Sql.Add(command, "id", zoneId.ToString());
        Sql.Add(command, "cluster", cluster);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new UsageBaseline(zoneId, cluster, Sql.Long(reader, 0), Sql.Long(reader, 1), Sql.Long(reader, 2), Sql.NullableTime(reader, 3), Sql.Time(reader, 4))
            : null;
    }

    /// <summary>Records a baseline unless the zone already has one for that cluster (the first one is the
    /// one that separates this zone's traffic from its predecessors'). True when it recorded it.</summary>
    public async Task<bool> AddUsageBaselineAsync(UsageBaseline baseline, CancellationToken cancellationToken) =>
        await WriteAsync(async writer =>
        {
            await using var find = writer.Command("SELECT COUNT(*) FROM usage_baselines WHERE zone_id = @id AND cluster = @cluster");
            Sql.Add(find, "id", baseline.ZoneId.ToString());
            Sql.Add(find, "cluster", baseline.Cluster);
            if (Convert.ToInt64(await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }

            await using var insert = writer.Command(
                "INSERT INTO usage_baselines (zone_id, cluster, requests, bytes_in, bytes_out, last_seen_at, taken_at) VALUES (@id, @cluster, @requests, @in, @out, @seen, @at)");
            Sql.Add(insert, "id", baseline.ZoneId.ToString());
            Sql.Add(insert, "cluster", baseline.Cluster);
            Sql.Add(insert, "requests", baseline.Requests);
            Sql.Add(insert, "in", baseline.BytesIn);
            Sql.Add(insert, "out", baseline.BytesOut);
            Sql.Add(insert, "seen", baseline.LastSeen is { } seen ? Sql.Millis(seen) : null);
            Sql.Add(insert, "at", Sql.Millis(baseline.TakenAt));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    public async Task<StoredApiKey> CreateApiKeyAsync(string name, string keyHash, string createdBy, CancellationToken cancellationToken)
    {
        var key = new StoredApiKey(Guid.NewGuid(), name, createdBy, DateTimeOffset.UtcNow, null, null);
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null,
            "INSERT INTO api_keys (id, name, key_hash, created_by, created_at) VALUES (@id, @name, @hash, @by, @at)");
        Sql.Add(command, "id", key.Id.ToString());
        Sql.Add(command, "name", name);
        Sql.Add(command, "hash", keyHash);
        Sql.Add(command, "by", createdBy);
        Sql.Add(command, "at", Sql.Millis(key.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return key with { CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(Sql.Millis(key.CreatedAt)) };
    }

    public async Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null, $"SELECT {KeyColumns} FROM api_keys ORDER BY created_at, id");
        return await ReadKeysAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The active (not revoked) key with this hash, or null.</summary>
    public async Task<StoredApiKey?> FindActiveApiKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null, $"SELECT {KeyColumns} FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL");
        Sql.Add(command, "hash", keyHash);
        return (await ReadKeysAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task TouchApiKeyAsync(Guid id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null, "UPDATE api_keys SET last_used_at = @at WHERE id = @id");
        Sql.Add(command, "at", Sql.Millis(at));
        Sql.Add(command, "id", id.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes the active keys whose id or name is <paramref name="idOrName"/>; returns them.</summary>
    public Task<IReadOnlyList<StoredApiKey>> RevokeApiKeysAsync(string idOrName, string revokedBy, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<StoredApiKey>>(async writer =>
        {
            await using var find = writer.Command($"SELECT {KeyColumns} FROM api_keys WHERE (id = @key OR name = @key) AND revoked_at IS NULL");
            Sql.Add(find, "key", idOrName);
            var keys = await ReadKeysAsync(find, cancellationToken).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            foreach (var key in keys)
            {
                await using var revoke = writer.Command("UPDATE api_keys SET revoked_at = @at, revoked_by = @by WHERE id = @id");
                Sql.Add(revoke, "at", Sql.Millis(now));
                Sql.Add(revoke, "by", revokedBy);
                Sql.Add(revoke, "id", key.Id.ToString());
                await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return [.. keys.Select(k => k with { RevokedAt = DateTimeOffset.FromUnixTimeMilliseconds(Sql.Millis(now)) })];
        }, cancellationToken);

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    internal static async Task<StoredResource?> GetAsync(DbConnection connection, DbTransaction? transaction, SecretCipher cipher, string kind, string name, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, transaction, $"SELECT {ResourceColumns} FROM resources WHERE kind = @kind AND name = @name");
        Sql.Add(command, "kind", kind);
        Sql.Add(command, "name", name);
        return (await ReadResourcesAsync(command, cipher, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    internal static async Task<IReadOnlyList<StoredResource>> ListAsync(DbConnection connection, DbTransaction? transaction, SecretCipher cipher, string kind, CancellationToken cancellationToken)
    {
        await using var command = Sql.Command(connection, transaction, $"SELECT {ResourceColumns} FROM resources WHERE kind = @kind ORDER BY name");
        Sql.Add(command, "kind", kind);
        return await ReadResourcesAsync(command, cipher, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<StoredResource>> ReadResourcesAsync(DbCommand command, SecretCipher cipher, CancellationToken cancellationToken)
    {
        var list = new List<StoredResource>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (kind, name) = (reader.GetString(0), reader.GetString(1));
            list.Add(new StoredResource(
                kind, name, Guid.Parse(reader.GetString(2)), Sql.NullableString(reader, 3),
                SecretFields.Open(cipher, kind, name, reader.GetString(4)), reader.GetString(5), Sql.NullableString(reader, 6), Sql.Time(reader, 7), Sql.Long(reader, 8)));
        }

        return list;
    }

    private static async Task<List<StoredApiKey>> ReadKeysAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<StoredApiKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StoredApiKey(
                Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), Sql.Time(reader, 3),
                Sql.NullableTime(reader, 4), Sql.NullableTime(reader, 5)));
        }

        return list;
    }
}
