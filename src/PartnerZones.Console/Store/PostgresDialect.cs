using System.Data.Common;
using Npgsql;

namespace PartnerZones.ControlPlane.Store;

/// <summary>PostgreSQL by connection string, for several console instances or an existing database.
/// Writers serialise on one transaction-scoped advisory lock: console writes are rare and small, and one
/// lock keeps upserts and cross-resource checks simple and correct.</summary>
public sealed class PostgresDialect : StoreDialect
{
    /// <summary>An arbitrary constant that names the console's write lock among the database's advisory locks.</summary>
    private const long WriteLockKey = 0x505A_434F_4E53; // "PZCONS"

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>The key file name used when none is configured, in the working directory.</summary>
    public const string DefaultKeyFile = "console.key";

    /// <param name="keyFile">The store key's file; null means <see cref="DefaultKeyFile"/> in the working
    /// directory. Every console sharing the database needs a copy of the same file.</param>
    public PostgresDialect(string connectionString, string? keyFile = null)
    {
        KeyFile = System.IO.Path.GetFullPath(keyFile ?? DefaultKeyFile);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override string Description { get; }

    public override string KeyFile { get; }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({WriteLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
