using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>What a SCRAM server keeps for a user instead of the password (RFC 5802 section 3):
/// the salt, the iteration count, StoredKey = H(ClientKey) and ServerKey.</summary>
internal sealed class ScramCredential
{
    private ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey)
    {
        Salt = salt;
        Iterations = iterations;
        StoredKey = storedKey;
        ServerKey = serverKey;
    }

    public byte[] Salt { get; }

    public int Iterations { get; }

    public byte[] StoredKey { get; }

    public byte[] ServerKey { get; }

    public static ScramCredential Create(ScramAlgorithm algorithm, string password, byte[]? salt = null, int iterations = ScramAlgorithm.Iterations)
    {
        salt ??= RandomNumberGenerator.GetBytes(16);

        // SASLprep is not applied: the password's UTF-8 bytes are used as they are, as Kafka does.
        var salted = algorithm.Hi(Encoding.UTF8.GetBytes(password), salt, iterations);
        var clientKey = algorithm.Hmac(salted, "Client Key"u8);
        var serverKey = algorithm.Hmac(salted, "Server Key"u8);
        return new ScramCredential(salt, iterations, algorithm.H(clientKey), serverKey);
    }

    /// <summary>A credential no proof can match, served for unknown users so that a client learns whether
    /// a name exists no sooner than it learns whether the password is right. The salt is stable per name.</summary>
    public static ScramCredential Decoy(ScramAlgorithm algorithm, byte[] secret, string user)
    {
        var salt = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(algorithm.Mechanism.Name() + "\0" + user))[..16];
        return new ScramCredential(salt, ScramAlgorithm.Iterations, RandomNumberGenerator.GetBytes(algorithm.Size), RandomNumberGenerator.GetBytes(algorithm.Size));
    }
}
