using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace PartnerZones.ControlPlane.Store;

/// <summary>
/// The step of opening a store that concerns its secrets, run after the schema migrations in one write
/// transaction: find or create the key file, prove it is the key this store was encrypted with (the
/// <c>store_key</c> row), and encrypt any secret an older console left in plain text.
/// </summary>
internal static class SecretsAtRest
{
    private const string CheckContext = "store_key";
    private static readonly byte[] CheckText = "Partner Zones store key check"u8.ToArray();

    public static async Task<SecretCipher> PrepareAsync(StoreDialect dialect, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);

        string? check;
        await using (var read = Sql.Command(connection, transaction, "SELECT key_check FROM store_key WHERE id = 1"))
        {
            check = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }

        var keyFile = dialect.KeyFile;
        StoreKey key;
        if (File.Exists(keyFile))
        {
            key = StoreKey.Load(keyFile, logger);
        }
        else if (check is not null)
        {
            throw new StoreException(
                $"the store's key file {keyFile} is missing, and {dialect.Description} holds secrets encrypted with it. "
                + "Restore the key file saved with this database (back them up together), or point spec.store.keyFile at it; "
                + "if the key is lost, start from a new store and apply the resources again.");
        }
        else
        {
            key = StoreKey.Create(keyFile, logger);
        }

        var cipher = new SecretCipher(key);
        if (check is null)
        {
            await using var insert = Sql.Command(connection, transaction, "INSERT INTO store_key (id, key_check, created_at) VALUES (1, @check, @at)");
            Sql.Add(insert, "check", cipher.Seal(CheckText, CheckContext));
            Sql.Add(insert, "at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (cipher.Open(check, CheckContext, out _) is not { } opened || !opened.AsSpan().SequenceEqual(CheckText))
        {
            throw new StoreException(
                $"the store's key file {keyFile} is not the key {dialect.Description} was encrypted with. "
                + "Put back the key file saved with this database (back them up together), or point spec.store.keyFile at it; "
                + "if that key is lost, start from a new store and apply the resources again.");
        }

        var encrypted = await EncryptPlainAsync(connection, transaction, cipher, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (encrypted > 0)
        {
            StoreLog.Encrypted(logger, encrypted, dialect.Description);
        }

        return cipher;
    }

    /// <summary>Encrypts secrets stored in plain text by a console from before encryption at rest. Only
    /// the spec changes: it is the same resource, so neither its generation nor updatedAt moves.</summary>
    private static async Task<int> EncryptPlainAsync(DbConnection connection, DbTransaction transaction, SecretCipher cipher, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var kind in SecretFields.KindsWithSecrets)
        {
            var rows = new List<(string Name, string Spec)>();
            await using (var select = Sql.Command(connection, transaction, "SELECT name, spec FROM resources WHERE kind = @kind"))
            {
                Sql.Add(select, "kind", kind);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (name, spec) in rows)
            {
                var sealedSpec = SecretFields.SealPlain(cipher, kind, name, spec);
                if (ReferenceEquals(sealedSpec, spec))
                {
                    continue;
                }

                await using var update = Sql.Command(connection, transaction, "UPDATE resources SET spec = @spec WHERE kind = @kind AND name = @name");
                Sql.Add(update, "spec", sealedSpec);
                Sql.Add(update, "kind", kind);
                Sql.Add(update, "name", name);
                await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                count++;
            }
        }

        return count;
    }
}
