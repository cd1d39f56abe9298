using System.Security.Cryptography;
using System.Text;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Security;

/// <summary>
/// SCRAM-SHA-256/512 key derivation (RFC 5802): what the gateway stores for a credential (salt,
/// iterations, StoredKey, ServerKey, never the secret) and the per-login HMACs. Only credential issue
/// runs the slow PBKDF2; a login costs a few HMACs, so a flood of bad logins stays cheap.
/// </summary>
public static class Scram
{
    /// <summary>Kafka's minimum, and what its clients expect.</summary>
    public const int Iterations = 4096;

    public static HashAlgorithmName Hash(string mechanism) =>
        mechanism == SaslMechanisms.ScramSha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    public static int Size(string mechanism) => mechanism == SaslMechanisms.ScramSha512 ? 64 : 32;

    public static ScramSecret Derive(string mechanism, string secret, byte[] salt, int iterations)
    {
        var hash = Hash(mechanism);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, hash, Size(mechanism));
        var clientKey = Hmac(mechanism, salted, "Client Key"u8);
        return new ScramSecret
        {
            Mechanism = mechanism,
            Salt = Convert.ToBase64String(salt),
            Iterations = iterations,
            StoredKey = Convert.ToBase64String(Digest(mechanism, clientKey)),
            ServerKey = Convert.ToBase64String(Hmac(mechanism, salted, "Server Key"u8)),
        };
    }

    public static byte[] Hmac(string mechanism, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        mechanism == SaslMechanisms.ScramSha512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);

    public static byte[] Digest(string mechanism, ReadOnlySpan<byte> data) =>
        mechanism == SaslMechanisms.ScramSha512 ? SHA512.HashData(data) : SHA256.HashData(data);

    /// <summary>True when <paramref name="proof"/> proves knowledge of the secret behind
    /// <paramref name="storedKey"/> for this exchange: H(proof XOR HMAC(StoredKey, AuthMessage)) == StoredKey.</summary>
    public static bool Verify(string mechanism, byte[] storedKey, byte[] authMessage, byte[] proof)
    {
        if (proof.Length != storedKey.Length)
        {
            return false;
        }

        var clientKey = Hmac(mechanism, storedKey, authMessage);
        for (var i = 0; i < clientKey.Length; i++)
        {
            clientKey[i] ^= proof[i];
        }

        return CryptographicOperations.FixedTimeEquals(Digest(mechanism, clientKey), storedKey);
    }
}
