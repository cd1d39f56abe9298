using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>The client side of SCRAM (RFC 5802), written independently of both servers (the embedded
/// cluster's and the gateway's) so tests check one against the other: builds the first message, and from
/// the server-first the final message and the server signature it must expect.</summary>
public sealed class ScramTestClient(HashAlgorithmName hash, string user, string password, string? clientNonce = null)
{
    public string Nonce { get; } = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    public string FirstBare => $"n={user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={Nonce}";

    public string First => "n,," + FirstBare;

    /// <summary>The server-final message the server must send for this exchange.</summary>
    public string? ExpectedServerFinal { get; private set; }

    /// <summary>The hash of a SASL mechanism name (SCRAM-SHA-256 or SCRAM-SHA-512).</summary>
    public static HashAlgorithmName HashOf(string mechanism) => mechanism switch
    {
        "SCRAM-SHA-256" => HashAlgorithmName.SHA256,
        "SCRAM-SHA-512" => HashAlgorithmName.SHA512,
        _ => throw new ArgumentException($"'{mechanism}' is not a SCRAM mechanism this client speaks (SCRAM-SHA-256, SCRAM-SHA-512).", nameof(mechanism)),
    };

    /// <summary>Builds client-final from server-first; <paramref name="tamper"/> may alter the proof.</summary>
    public string Final(string serverFirst, Action<byte[]>? tamper = null)
    {
        var fields = serverFirst.Split(',').ToDictionary(f => f[..1], f => f[2..]);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(fields["s"]), int.Parse(fields["i"], System.Globalization.CultureInfo.InvariantCulture), hash, Size);
        var clientKey = CryptographicOperations.HmacData(hash, salted, "Client Key"u8);
        var storedKey = CryptographicOperations.HashData(hash, clientKey);
        var withoutProof = $"c=biws,r={fields["r"]}";
        var authMessage = Encoding.UTF8.GetBytes($"{FirstBare},{serverFirst},{withoutProof}");
        var signature = CryptographicOperations.HmacData(hash, storedKey, authMessage);
        var proof = clientKey.Zip(signature, (k, s) => (byte)(k ^ s)).ToArray();
        tamper?.Invoke(proof);
        var serverKey = CryptographicOperations.HmacData(hash, salted, "Server Key"u8);
        ExpectedServerFinal = "v=" + Convert.ToBase64String(CryptographicOperations.HmacData(hash, serverKey, authMessage));
        return $"{withoutProof},p={Convert.ToBase64String(proof)}";
    }

    private int Size => hash == HashAlgorithmName.SHA512 ? 64 : 32;
}
