using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PartnerZones.ControlPlane.Store;

/// <summary>
/// The key that encrypts the store's secrets: 256 random bits in a small owner-only text file, beside a
/// SQLite database by default (see <see cref="StoreDialect.KeyFile"/>). It lives outside the database on
/// purpose: a copied database (or a database dump, or a PostgreSQL backup) alone reveals no secret.
/// </summary>
internal sealed class StoreKey
{
    public const int Size = 32;

    private const string Header = "# Partner Zones console store key. Back it up together with the database: without it the\n"
        + "# gateway admin passwords in the store cannot be read. Keep it owner-only (mode 0600).\n";

    private StoreKey(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
    }

    public string Path { get; }

    public byte[] Bytes { get; }

    /// <summary>Reads the key file (tightening its mode when others could read it).</summary>
    public static StoreKey Load(string path, ILogger logger)
    {
        if (OwnerOnlyFiles.Tighten(path))
        {
            StoreLog.Tightened(logger, path);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"the store's key file {path} cannot be read ({e.Message}); give the console's user read access to it (mode 0600, owned by that user).", e);
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .ToList();
        var bytes = new byte[Size];
        if (lines.Count != 1 || !Convert.TryFromBase64String(lines[0], bytes, out var written) || written != Size)
        {
            throw new StoreException(
                $"the store's key file {path} does not hold a key (one line of {Size} random bytes in base64); restore the key file saved with this database.");
        }

        return new StoreKey(path, bytes);
    }

    /// <summary>Creates a key file with a new random key, owner-only from its first byte. When another
    /// process created it meanwhile, that key is used instead, so both agree.</summary>
    public static StoreKey Create(string path, ILogger logger)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        OwnerOnlyFiles.CreateDirectory(directory);
        var bytes = RandomNumberGenerator.GetBytes(Size);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        OwnerOnlyFiles.WriteNew(temporary, Encoding.ASCII.GetBytes(Header + Convert.ToBase64String(bytes) + "\n"));
        try
        {
            // Written whole under a temporary name first, so no reader ever sees a partial key.
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Load(path, logger);
        }

        StoreLog.KeyCreated(logger, path);
        return new StoreKey(path, bytes);
    }
}
