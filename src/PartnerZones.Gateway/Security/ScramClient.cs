using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.Gateway.Security;

/// <summary>
/// The client side of SCRAM-SHA-256/512 (RFC 5802) for the gateway's own login to the backing cluster:
/// client-first, then the proof for the server's salt and iterations, then the server's signature is
/// checked, so a cluster that does not know the password cannot pretend it does.
/// </summary>
public sealed class ScramClient(string mechanism, string user, string password)
{
    private const int MaxIterations = 1_000_000;

    private readonly string _nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    private string _bare = "";
    private byte[] _serverSignature = [];

    public byte[] First()
    {
        _bare = $"n={user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={_nonce}";
        return Encoding.UTF8.GetBytes("n,," + _bare);
    }

    /// <summary>The client-final message for the server-first message; throws when the server's message is not acceptable.</summary>
    public byte[] Final(ReadOnlySpan<byte> serverFirstBytes)
    {
        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        var attributes = serverFirst.Split(',').Where(a => a.Length > 1 && a[1] == '=').ToDictionary(a => a[0], a => a[2..]);
        if (!attributes.TryGetValue('r', out var nonce) || !nonce.StartsWith(_nonce, StringComparison.Ordinal) || nonce.Length == _nonce.Length
            || !attributes.TryGetValue('s', out var saltText) || !attributes.TryGetValue('i', out var iterationsText)
            || !int.TryParse(iterationsText, System.Globalization.CultureInfo.InvariantCulture, out var iterations)
            || iterations is < Scram.Iterations or > MaxIterations || attributes.ContainsKey('m'))
        {
            throw new ScramClientException($"the cluster's {mechanism} server-first message is not acceptable");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(saltText);
        }
        catch (FormatException)
        {
            throw new ScramClientException($"the cluster's {mechanism} salt is not base64");
        }

        var hash = Scram.Hash(mechanism);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, hash, Scram.Size(mechanism));
        var clientKey = Scram.Hmac(mechanism, salted, "Client Key"u8);
        var storedKey = Scram.Digest(mechanism, clientKey);
        var withoutProof = $"c=biws,r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{_bare},{serverFirst},{withoutProof}");
        var signature = Scram.Hmac(mechanism, storedKey, authMessage);
        for (var i = 0; i < clientKey.Length; i++)
        {
            clientKey[i] ^= signature[i];
        }

        _serverSignature = Scram.Hmac(mechanism, Scram.Hmac(mechanism, salted, "Server Key"u8), authMessage);
        return Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(clientKey)}");
    }

    /// <summary>Checks the server-final message: the server proved it knows the password's keys.</summary>
    public void Verify(ReadOnlySpan<byte> serverFinalBytes)
    {
        var serverFinal = Encoding.UTF8.GetString(serverFinalBytes);
        if (!serverFinal.StartsWith("v=", StringComparison.Ordinal))
        {
            throw new ScramClientException($"the cluster refused the {mechanism} login ({serverFinal})");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(serverFinal[2..].Split(',')[0]);
        }
        catch (FormatException)
        {
            throw new ScramClientException($"the cluster's {mechanism} server signature is not base64");
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, _serverSignature))
        {
            throw new ScramClientException($"the cluster's {mechanism} server signature is wrong: it does not hold this account's keys");
        }
    }
}

/// <summary>A SCRAM exchange with the backing cluster failed.</summary>
public sealed class ScramClientException(string message) : Exception(message);
