using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>
/// The server side of SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802, RFC 7677): client-first → server-first
/// (combined nonce, salt, iterations), client-final → server-final (<c>v=</c> server signature).
/// The client's proof is checked with a constant-time comparison of H(ClientKey) against StoredKey.
/// </summary>
internal sealed class ScramServer(SaslCredentials credentials, ScramAlgorithm algorithm, Func<string>? serverNonce = null) : ISaslServer
{
    private Step _step = Step.ClientFirst;
    private ScramClientFirst? _first;
    private string? _serverFirst;
    private string? _nonce;
    private ScramCredential? _credential;
    private bool _known;

    private enum Step
    {
        ClientFirst,
        ClientFinal,
        Done,
        Failed,
    }

    public SaslMechanism Mechanism => algorithm.Mechanism;

    public bool IsComplete => _step == Step.Done;

    public string? User { get; private set; }

    public byte[] Evaluate(ReadOnlySpan<byte> clientMessage) => _step switch
    {
        Step.ClientFirst => ServerFirst(SaslText.Decode(clientMessage, "SCRAM client-first-message")),
        Step.ClientFinal => ServerFinal(SaslText.Decode(clientMessage, "SCRAM client-final-message")),
        _ => throw new SaslAuthenticationException($"Authentication failed: the {Mechanism.Name()} exchange has already ended"),
    };

    private byte[] ServerFirst(string message)
    {
        _step = Step.Failed; // until this step succeeds, any further message is out of turn
        var first = ScramClientFirst.Parse(message);
        if (first.AuthorizationId is { } authzid && authzid != first.User)
        {
            throw new SaslAuthenticationException("Authentication failed: the authorization id must be empty or equal to the user name", first.User);
        }

        _first = first;
        _credential = credentials.Scram(algorithm, first.User, out _known);
        // Letters and digits only, as Kafka makes them: some clients (librdkafka 2.0) mangle "+" and "/" in nonces.
        _nonce = first.Nonce + (serverNonce?.Invoke() ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_credential.Salt)},i={_credential.Iterations}";
        _step = Step.ClientFinal;
        return Encoding.UTF8.GetBytes(_serverFirst);
    }

    private byte[] ServerFinal(string message)
    {
        _step = Step.Failed;
        var first = _first!;
        var final = ScramClientFinal.Parse(message);
        if (!final.ChannelBinding.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(first.Gs2Header)))
        {
            throw new SaslAuthenticationException("Authentication failed: the SCRAM channel binding does not repeat the GS2 header of the first message", first.User);
        }

        if (!string.Equals(final.Nonce, _nonce, StringComparison.Ordinal))
        {
            throw new SaslAuthenticationException("Authentication failed: the SCRAM nonce does not match the one the server sent", first.User);
        }

        var authMessage = Encoding.UTF8.GetBytes($"{first.Bare},{_serverFirst},{final.WithoutProof}");
        var credential = _credential!;
        var verified = false;
        if (final.Proof.Length == algorithm.Size)
        {
            var clientKey = algorithm.Hmac(credential.StoredKey, authMessage);
            for (var i = 0; i < clientKey.Length; i++)
            {
                clientKey[i] ^= final.Proof[i]; // ClientKey = ClientProof XOR ClientSignature
            }

            verified = CryptographicOperations.FixedTimeEquals(algorithm.H(clientKey), credential.StoredKey);
        }

        if (!verified || !_known)
        {
            throw new SaslAuthenticationException($"Authentication failed: invalid username or password ({Mechanism.Name()})", first.User);
        }

        User = first.User;
        _step = Step.Done;
        return Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(algorithm.Hmac(credential.ServerKey, authMessage)));
    }
}
