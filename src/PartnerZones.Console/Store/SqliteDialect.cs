using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace PartnerZones.ControlPlane.Store;

/// <summary>A SQLite file: the default store, nothing to install. BEGIN IMMEDIATE takes the database's
/// write lock at the start of a write transaction; WAL lets readers go on meanwhile.</summary>
public sealed class SqliteDialect : StoreDialect
{
    /// <summary>Appended to the database's path for the default key file: <c>console.db.key</c>.</summary>
    public const string KeyFileSuffix = ".key";

    /// <summary>The files SQLite keeps beside the database, which hold its data as much as the database does.</summary>
    private static readonly string[] CompanionSuffixes = ["-wal", "-shm", "-journal"];

    private readonly string _connectionString;

    /// <param name="keyFile">The store key's file; null means the database's path with <see cref="KeyFileSuffix"/>.</param>
    public SqliteDialect(string path, string? keyFile = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        KeyFile = System.IO.Path.GetFullPath(keyFile ?? Path + KeyFileSuffix);
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

    public override string KeyFile { get; }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Not deferred: BEGIN IMMEDIATE, so two upserts cannot both read "absent" and both insert.
        await Task.FromResult(((SqliteConnection)connection).BeginTransaction(deferred: false)).ConfigureAwait(false);

    /// <summary>
    /// Creates the file's directory (0700) and the file itself (0600, empty: SQLite takes an empty file
    /// as a new database), tightens the modes of files an older console left readable by others, and
    /// turns on WAL (a property of the file, set once). SQLite creates its -wal, -shm and -journal files
    /// with the database file's mode, so an owner-only database keeps them owner-only too; they are
    /// checked again after WAL is on, in case the database was not owner-only when they were made.
    /// </summary>
    public async Task PrepareAsync(ILogger logger, CancellationToken cancellationToken)
    {
        OwnerOnlyFiles.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        if (!OwnerOnlyFiles.CreateEmpty(Path))
        {
            TightenAll(logger);
        }

        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            TightenAll(logger);
        }
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be removed after shutdown.
        SqliteConnection.ClearAllPools();
        return base.DisposeAsync();
    }

    private void TightenAll(ILogger logger)
    {
        foreach (var file in CompanionSuffixes.Select(suffix => Path + suffix).Prepend(Path))
        {
            if (OwnerOnlyFiles.Tighten(file))
            {
                StoreLog.Tightened(logger, file);
            }
        }
    }
}
