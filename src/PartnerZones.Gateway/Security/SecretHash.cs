using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.Gateway.Security;

/// <summary>
/// Salted SHA-256 of a secret: <c>sha256:SALT:HASH</c> (base64). Partner secrets are 256-bit random
/// values, so a fast hash is safe and keeps logins cheap under a flood; a slow hash would only let
/// attackers burn the gateway's CPU. Verification is constant-time.
/// </summary>
public static class SecretHash
{
    private const string Prefix = "sha256:";

    public static string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return $"{Prefix}{Convert.ToBase64String(salt)}:{Convert.ToBase64String(Digest(salt, secret))}";
    }

    public static bool Verify(string secret, string encoded)
    {
        if (!TryParse(encoded, out var salt, out var expected))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Digest(salt, secret), expected);
    }

    /// <summary>Why <paramref name="encoded"/> is not a hash this gateway can check, or null when it is.</summary>
    public static string? Problem(string encoded) =>
        TryParse(encoded, out _, out _) ? null : "is not a secret hash; produce one with: echo -n SECRET | pz gateway hash-secret";

    private static bool TryParse(string encoded, out byte[] salt, out byte[] hash)
    {
        salt = hash = [];
        if (!encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = encoded[Prefix.Length..].Split(':');
        try
        {
            if (parts.Length != 2)
            {
                return false;
            }

            salt = Convert.FromBase64String(parts[0]);
            hash = Convert.FromBase64String(parts[1]);
            return salt.Length >= 8 && hash.Length == 32;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Digest(byte[] salt, string secret)
    {
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var input = new byte[salt.Length + secretBytes.Length];
        salt.CopyTo(input, 0);
        secretBytes.CopyTo(input, salt.Length);
        return SHA256.HashData(input);
    }
}
