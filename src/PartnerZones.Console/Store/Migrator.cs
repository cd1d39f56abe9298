using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace PartnerZones.ControlPlane.Store;

/// <summary>
/// Applies the numbered SQL files of Store/Migrations (embedded in this assembly) that a store has not
/// seen yet, in order, all in one write transaction, and records each in <c>schema_migrations</c>.
/// The same files serve SQLite and PostgreSQL. A store written by a newer console is refused rather
/// than used with a schema this code does not know.
/// </summary>
public static class Migrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    /// <summary>Returns how many migrations were applied now (0 when the store was current).</summary>
    public static async Task<int> ApplyAsync(StoreDialect dialect, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            cancellationToken).ConfigureAwait(false);

        var applied = new HashSet<int>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
        }

        var newest = Migrations[^1].Version;
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new StoreException(
                $"{dialect.Description} has schema version {applied.Max()}, newer than this console knows ({newest}); run the newer pz that wrote it.");
        }

        var count = 0;
        foreach (var (version, name, sql) in Migrations)
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)";
            Sql.Add(record, "version", version);
            Sql.Add(record, "name", name);
            Sql.Add(record, "at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            count++;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal)))
        {
            var name = resource["Migrations.".Length..^".sql".Length];
            var version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add((version, name, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return migrations.Count > 0 ? migrations : throw new InvalidOperationException("no migrations are embedded in " + assembly.GetName().Name);
    }
}
