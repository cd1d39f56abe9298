using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// Admin passwords: PBKDF2-HMAC-SHA256, <c>pbkdf2-sha256:ITERATIONS:SALT:HASH</c> (base64). People pick
/// passwords, so unlike random API keys they need a slow, salted hash; the iteration count is stored with
/// each hash so it can be raised later without breaking existing ones. Verification is constant-time.
/// </summary>
public static class PasswordHash
{
    private const string Prefix = "pbkdf2-sha256:";
    private const int DefaultIterations = 210_000;
    private const int MinIterations = 10_000;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Prefix}{iterations.ToString(CultureInfo.InvariantCulture)}:{Convert.ToBase64String(salt)}:{Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string encoded)
    {
        if (!TryParse(encoded, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Why <paramref name="encoded"/> is not a hash the console can check, or null when it is.</summary>
    public static string? Problem(string encoded) =>
        TryParse(encoded, out _, out _, out _) ? null : "is not a password hash; produce one with: pz console hash-password (reads the password from standard input)";

    private static bool TryParse(string encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (!encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = encoded[Prefix.Length..].Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[1]);
            hash = Convert.FromBase64String(parts[2]);
            return salt.Length >= 8 && hash.Length >= 16;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
