using System.Security.Cryptography;
using System.Text;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Security;

/// <summary>
/// One SCRAM login at the gateway (RFC 5802, RFC 7677): client-first → server-first with the account's
/// salt and a combined nonce; client-final → the proof is checked against every live credential of the
/// account that shares that salt. An unknown user gets a made-up but stable salt, so the exchange does not
/// reveal which accounts exist; it fails at the proof like a wrong secret.
/// </summary>
internal sealed class ScramExchange(string mechanism, byte[] unknownUserKey, Func<string>? serverNonce = null)
{
    private static readonly UTF8Encoding Strict = new(false, true);

    private ScramClientFirst? _first;
    private ScramCandidates? _candidates;
    private string _serverFirst = "";
    private string _nonce = "";

    public string? User => _first?.User;

    /// <summary>The server-first message, or null when the client-first message is malformed.</summary>
    public byte[]? Start(ReadOnlySpan<byte> message, GatewayState state)
    {
        if (message.Length is 0 or > 1024 || Decode(message) is not { } text || ScramClientFirst.Parse(text) is not { } first)
        {
            return null;
        }

        _first = first;
        _candidates = state.ScramFor(first.User, mechanism);
        var salt = _candidates?.Salt ?? HMACSHA256.HashData(unknownUserKey, Encoding.UTF8.GetBytes(first.User))[..16];
        var iterations = _candidates?.Iterations ?? Scram.Iterations;
        // Letters and digits only: some clients mis-read attribute values that contain "=" or "/".
        _nonce = first.Nonce + (serverNonce?.Invoke() ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(salt)},i={iterations}";
        return Encoding.UTF8.GetBytes(_serverFirst);
    }

    /// <summary>Checks the client-final message: the login result and, on success, the server-final message.</summary>
    public (LoginResult Result, byte[]? ServerFinal) Finish(ReadOnlySpan<byte> message, GatewayState state, DateTimeOffset now)
    {
        var first = _first!;
        if (message.Length is 0 or > 2048 || Decode(message) is not { } text || ScramClientFinal.Parse(text) is not { } final)
        {
            return (LoginResult.Failed("malformed SCRAM client-final message"), null);
        }

        // librdkafka before 2.6.1 (Debian's kcat among them) sends its own nonce once more in front of the
        // combined one; Kafka 3.8.1-3.9 accepted that. Exactly that form is accepted too: the server's part
        // is still required, so a replayed exchange still fails.
        var nonceOk = final.Nonce == _nonce || final.Nonce == first.Nonce + _nonce;
        if (!final.ChannelBinding.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(first.Gs2Header)) || !nonceOk)
        {
            return (LoginResult.Failed("SCRAM channel binding or nonce does not match"), null);
        }

        if (_candidates is null || state.Account(first.User) is not { } account)
        {
            return (LoginResult.Failed($"unknown service account or no {mechanism} credential"), null);
        }

        var authMessage = Encoding.UTF8.GetBytes($"{first.Bare},{_serverFirst},{final.WithoutProof}");
        foreach (var (credential, secret) in _candidates.Keys)
        {
            if (!Scram.Verify(mechanism, Convert.FromBase64String(secret.StoredKey), authMessage, final.Proof))
            {
                continue;
            }

            // Judge the credential as it is now: it may have been revoked since the first message.
            var current = state.Credential(credential.Metadata.Name)?.Resource ?? credential with { Spec = credential.Spec with { RevokedAt = now } };
            var result = state.Admit(account.Resource, current, now);
            var signature = Scram.Hmac(mechanism, Convert.FromBase64String(secret.ServerKey), authMessage);
            return (result, result.Principal is null ? null : Encoding.UTF8.GetBytes($"v={Convert.ToBase64String(signature)}"));
        }

        return (LoginResult.Failed("wrong secret"), null);
    }

    private static string? Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
