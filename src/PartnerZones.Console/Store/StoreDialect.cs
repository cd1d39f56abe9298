using System.Data.Common;

namespace PartnerZones.ControlPlane.Store;

/// <summary>What differs between the databases the console can use: how to connect, how to serialise
/// writers, and how to name the store in messages. The SQL itself is shared.</summary>
public abstract class StoreDialect : IAsyncDisposable
{
    /// <summary>"SQLite /path/console.db" or "PostgreSQL host:port/db", for logs and errors (never a password).</summary>
    public abstract string Description { get; }

    /// <summary>The file holding the key that encrypts the store's secrets (see <see cref="StoreKey"/>):
    /// created on first use, needed to read the store ever after.</summary>
    public abstract string KeyFile { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a transaction that excludes every other writer until it ends, so read-check-write
    /// sequences (upsert, cross-resource checks, migrations) see a stable store.</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
