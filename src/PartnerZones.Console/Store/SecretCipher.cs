using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.ControlPlane.Store;

/// <summary>
/// Encrypts single values with AES-256-GCM: <c>pzenc:v1:</c> then base64 of a random 12-byte nonce, the
/// ciphertext and the 16-byte tag. The tag makes a wrong key or an altered value fail loudly instead of
/// decrypting to garbage. Each value is bound to where it is stored (the associated data names the
/// resource and field), so a ciphertext copied into another row does not decrypt there.
/// <para>
/// Why not ASP.NET Core Data Protection: its key ring is a directory of XML keys that rotate every 90
/// days and must all be kept to read old values, and it is built for short-lived tokens. A store needs
/// one stable key that an operator backs up with the database and that a second console on the same
/// PostgreSQL can share by copying one file; one AES-GCM key does that with nothing hidden.
/// </para>
/// </summary>
internal sealed class SecretCipher(StoreKey key)
{
    public const string Prefix = "pzenc:v1:";

    /// <summary>Any version of our format, so a value from a newer console is recognised and refused.</summary>
    public const string AnyVersionPrefix = "pzenc:";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string KeyFile => key.Path;

    public static bool IsSealed(ReadOnlySpan<byte> value) => value.StartsWith("pzenc:"u8);

    public string Seal(ReadOnlySpan<byte> plaintext, string context)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        // AesGcm instances are not safe to share between threads; values are few and small, so make one per call.
        using var aes = new AesGcm(key.Bytes, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(context));
        return Prefix + Convert.ToBase64String(output);
    }

    /// <summary>The plaintext of <paramref name="sealedValue"/>, or null when it is not ours to read: another key,
    /// another row, an altered value. <paramref name="problem"/> says which.</summary>
    public byte[]? Open(string sealedValue, string context, out string? problem)
    {
        problem = null;
        if (!sealedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"it is in a format this console does not know ('{sealedValue[..Math.Min(sealedValue.Length, 9)]}'); run the newer pz that wrote it";
            return null;
        }

        byte[] input;
        try
        {
            input = Convert.FromBase64String(sealedValue[Prefix.Length..]);
        }
        catch (FormatException)
        {
            problem = "it is not valid base64";
            return null;
        }

        if (input.Length < NonceSize + TagSize)
        {
            problem = "it is too short";
            return null;
        }

        var length = input.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize, length), input.AsSpan(NonceSize + length), plaintext, Encoding.UTF8.GetBytes(context));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            problem = $"it was not encrypted with the key in {key.Path} for this row (another key file, or a value copied from another store)";
            return null;
        }
    }
}
