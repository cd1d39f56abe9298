using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>
/// Where one connection stands in SASL authentication (KIP-43, KIP-152):
/// handshake, then either SaslAuthenticate requests (handshake v1) or raw size-prefixed tokens
/// (handshake v0), then authenticated. Any step out of order fails the connection.
/// </summary>
internal sealed class SaslSession(SaslCredentials credentials)
{
    private Stage _stage = Stage.AwaitingHandshake;
    private ISaslServer? _server;

    private enum Stage
    {
        AwaitingHandshake,
        AwaitingAuthenticate,
        AwaitingRawToken,
        Authenticated,
        Failed,
    }

    public bool IsAuthenticated => _stage == Stage.Authenticated;

    /// <summary>After a v0 handshake the next frames are bare SASL tokens, not Kafka requests.</summary>
    public bool ExpectsRawTokens => _stage == Stage.AwaitingRawToken;

    public string? User => IsAuthenticated ? _server!.User : null;

    public SaslMechanism? Mechanism => _server?.Mechanism;

    /// <summary>Whether a request with this API key may be served now; anything else closes the connection.
    /// Before the handshake only ApiVersions and the SASL APIs; during a v1 exchange only SaslAuthenticate.</summary>
    public bool Permits(short apiKey) => _stage switch
    {
        Stage.AwaitingHandshake => apiKey is ApiVersionsRequest.Key or SaslHandshakeRequest.Key or SaslAuthenticateRequest.Key,
        Stage.AwaitingAuthenticate => apiKey == SaslAuthenticateRequest.Key,
        Stage.Authenticated => true,
        _ => false,
    };

    public HandshakeOutcome Handshake(string mechanismName, short version)
    {
        if (_stage == Stage.Authenticated)
        {
            // As on a Kafka listener without re-authentication: answered, and the session goes on.
            return new HandshakeOutcome(ErrorCodes.IllegalSaslState, credentials.EnabledNames, Close: false);
        }

        if (_stage != Stage.AwaitingHandshake)
        {
            _stage = Stage.Failed;
            return new HandshakeOutcome(ErrorCodes.IllegalSaslState, credentials.EnabledNames, Close: true);
        }

        if (!SaslMechanisms.TryParse(mechanismName, out var mechanism) || !credentials.IsEnabled(mechanism))
        {
            _stage = Stage.Failed;
            return new HandshakeOutcome(ErrorCodes.UnsupportedSaslMechanism, credentials.EnabledNames, Close: true);
        }

        _server = credentials.CreateServer(mechanism);
        _stage = version == 0 ? Stage.AwaitingRawToken : Stage.AwaitingAuthenticate;
        return new HandshakeOutcome(ErrorCodes.None, credentials.EnabledNames, Close: false);
    }

    /// <summary>One SaslAuthenticate request. A failure is answered (error 58 and a message) and closes the connection.</summary>
    public AuthenticateOutcome Authenticate(ReadOnlySpan<byte> token)
    {
        if (_stage == Stage.Authenticated)
        {
            return new AuthenticateOutcome(ErrorCodes.IllegalSaslState, "SaslAuthenticate received after successful authentication", [], Close: false, Failure: null);
        }

        if (_stage != Stage.AwaitingAuthenticate)
        {
            _stage = Stage.Failed;
            var problem = "SaslAuthenticate received before a SaslHandshake v1 chose a mechanism";
            return new AuthenticateOutcome(ErrorCodes.IllegalSaslState, problem, [], Close: true, new SaslAuthenticationException(problem));
        }

        try
        {
            var reply = Evaluate(token);
            return new AuthenticateOutcome(ErrorCodes.None, null, reply, Close: false, Failure: null);
        }
        catch (SaslAuthenticationException e)
        {
            return new AuthenticateOutcome(ErrorCodes.SaslAuthenticationFailed, e.Message, [], Close: true, e);
        }
    }

    /// <summary>One raw token after a v0 handshake; the reply goes back size-prefixed. Kafka has no error
    /// response in this mode: a failure closes the connection.</summary>
    /// <exception cref="SaslAuthenticationException">The token was refused.</exception>
    public byte[] AuthenticateRaw(ReadOnlySpan<byte> token) => Evaluate(token);

    private byte[] Evaluate(ReadOnlySpan<byte> token)
    {
        try
        {
            var reply = _server!.Evaluate(token);
            if (_server.IsComplete)
            {
                _stage = Stage.Authenticated;
            }

            return reply;
        }
        catch (SaslAuthenticationException)
        {
            _stage = Stage.Failed;
            throw;
        }
    }
}

internal readonly record struct HandshakeOutcome(short ErrorCode, List<string> Mechanisms, bool Close);

internal readonly record struct AuthenticateOutcome(short ErrorCode, string? ErrorMessage, byte[] Reply, bool Close, SaslAuthenticationException? Failure);
