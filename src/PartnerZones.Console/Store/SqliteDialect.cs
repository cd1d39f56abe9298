using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PartnerZones.ControlPlane.Store;

/// <summary>A SQLite file: the default store, nothing to install. BEGIN IMMEDIATE takes the database's
/// write lock at the start of a write transaction; WAL lets readers go on meanwhile.</summary>
public sealed class SqliteDialect : StoreDialect
{
    private readonly string _connectionString;

    public SqliteDialect(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public override string Description => $"SQLite {Path}";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Not deferred: BEGIN IMMEDIATE, so two upserts cannot both read "absent" and both insert.
        await Task.FromResult(((SqliteConnection)connection).BeginTransaction(deferred: false)).ConfigureAwait(false);

    /// <summary>Creates the file's directory and turns on WAL (a property of the file, set once).</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be removed after shutdown.
        SqliteConnection.ClearAllPools();
        return base.DisposeAsync();
    }
}
