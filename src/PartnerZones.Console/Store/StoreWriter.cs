using System.Data.Common;

namespace PartnerZones.ControlPlane.Store;

/// <summary>Reads and writes resources inside one exclusive write transaction (see <see cref="ConsoleStore.WriteAsync{T}"/>).</summary>
public sealed class StoreWriter
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly SecretCipher _cipher;
    private readonly CancellationToken _cancellationToken;

    internal StoreWriter(DbConnection connection, DbTransaction transaction, SecretCipher cipher, CancellationToken cancellationToken)
    {
        _connection = connection;
        _transaction = transaction;
        _cipher = cipher;
        _cancellationToken = cancellationToken;
    }

    public Task<StoredResource?> GetAsync(string kind, string name) =>
        ConsoleStore.GetAsync(_connection, _transaction, _cipher, kind, name, _cancellationToken);

    public Task<IReadOnlyList<StoredResource>> ListAsync(string kind) =>
        ConsoleStore.ListAsync(_connection, _transaction, _cipher, kind, _cancellationToken);

    public async Task InsertAsync(StoredResource resource)
    {
        await using var command = Command(
            "INSERT INTO resources (kind, name, id, labels, spec, status, failed_reason, updated_at, generation) "
            + "VALUES (@kind, @name, @id, @labels, @spec, @status, @reason, @updated, @generation)");
        AddAll(command, resource);
        await command.ExecuteNonQueryAsync(_cancellationToken).ConfigureAwait(false);
    }

    public async Task UpdateAsync(StoredResource resource)
    {
        await using var command = Command(
            "UPDATE resources SET labels = @labels, spec = @spec, status = @status, failed_reason = @reason, updated_at = @updated, generation = @generation "
            + "WHERE kind = @kind AND name = @name AND id = @id");
        AddAll(command, resource);
        await command.ExecuteNonQueryAsync(_cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string kind, string name)
    {
        await using var command = Command("DELETE FROM resources WHERE kind = @kind AND name = @name");
        Sql.Add(command, "kind", kind);
        Sql.Add(command, "name", name);
        return await command.ExecuteNonQueryAsync(_cancellationToken).ConfigureAwait(false) == 1;
    }

    internal DbCommand Command(string text) => Sql.Command(_connection, _transaction, text);

    /// <summary>Every column of <paramref name="resource"/>, its secrets encrypted (the callers hold them plain).</summary>
    private void AddAll(DbCommand command, StoredResource resource)
    {
        Sql.Add(command, "kind", resource.Kind);
        Sql.Add(command, "name", resource.Name);
        Sql.Add(command, "id", resource.Id.ToString());
        Sql.Add(command, "labels", resource.Labels);
        Sql.Add(command, "spec", SecretFields.Seal(_cipher, resource.Kind, resource.Name, resource.Spec));
        Sql.Add(command, "status", resource.Status);
        Sql.Add(command, "reason", resource.FailedReason);
        Sql.Add(command, "updated", Sql.Millis(resource.UpdatedAt));
        Sql.Add(command, "generation", resource.Generation);
    }
}
