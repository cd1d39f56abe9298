using System.Security.Cryptography;

namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>The hash a SCRAM mechanism is built on (RFC 5802 section 2.2, RFC 7677), with its H, HMAC and Hi.</summary>
internal sealed class ScramAlgorithm
{
    public static readonly ScramAlgorithm Sha256 = new(SaslMechanism.ScramSha256, HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);
    public static readonly ScramAlgorithm Sha512 = new(SaslMechanism.ScramSha512, HashAlgorithmName.SHA512, SHA512.HashSizeInBytes);

    /// <summary>Kafka's minimum (and librdkafka's expectation) for SCRAM iterations.</summary>
    public const int Iterations = 4096;

    private ScramAlgorithm(SaslMechanism mechanism, HashAlgorithmName hash, int size)
    {
        Mechanism = mechanism;
        Hash = hash;
        Size = size;
    }

    public SaslMechanism Mechanism { get; }

    public HashAlgorithmName Hash { get; }

    /// <summary>Output length of H and HMAC in bytes.</summary>
    public int Size { get; }

    public static ScramAlgorithm For(SaslMechanism mechanism) => mechanism switch
    {
        SaslMechanism.ScramSha256 => Sha256,
        SaslMechanism.ScramSha512 => Sha512,
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "not a SCRAM mechanism"),
    };

    public byte[] H(ReadOnlySpan<byte> data) => CryptographicOperations.HashData(Hash, data);

    public byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => CryptographicOperations.HmacData(Hash, key, data);

    /// <summary>Hi(password, salt, i) is PBKDF2 with HMAC-H and one block of output.</summary>
    public byte[] Hi(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, Hash, Size);
}
