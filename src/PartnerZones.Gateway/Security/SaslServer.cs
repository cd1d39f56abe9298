using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text;
using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Security;

/// <summary>
/// SASL PLAIN terminated at the gateway: SaslHandshake v0/v1 and SaslAuthenticate v0-2, or the bare
/// token frame that follows a v0 handshake. Tokens are parsed strictly (exactly two NUL separators, an
/// authorization id that is empty or equal to the user); a failed login is answered after a fixed delay
/// and closes the connection.
/// </summary>
internal sealed class SaslServer(GatewayRuntime runtime)
{
    private const short SaslAuthenticationFailed = 58;
    private const short UnsupportedSaslMechanism = 33;
    private const short IllegalSaslState = 34;
    private const string Mechanism = "PLAIN";

    private bool _handshakeDone;

    public Principal? Principal { get; private set; }

    public bool IsComplete => Principal is not null;

    public bool ExpectsRawToken { get; private set; }

    public readonly record struct Answer(byte[] Frame, bool Close);

    public async Task<Answer> HandleAsync(RequestHeader header, byte[] body, EndPoint? remote, CancellationToken cancellationToken)
    {
        if (header.ApiKey == SaslHandshakeRequest.Key)
        {
            var request = MessageCodec.Decode<SaslHandshakeRequest>(body, header.ApiVersion);
            var ok = request.Mechanism == Mechanism && !_handshakeDone;
            _handshakeDone = ok;
            ExpectsRawToken = ok && header.ApiVersion == 0;
            var response = new SaslHandshakeResponse { ErrorCode = ok ? (short)0 : UnsupportedSaslMechanism, Mechanisms = [Mechanism] };
            return new Answer(ResponseFrames.Encode(header.CorrelationId, header.ApiVersion, response), !ok);
        }

        var authenticate = MessageCodec.Decode<SaslAuthenticateRequest>(body, header.ApiVersion);
        if (!_handshakeDone || ExpectsRawToken)
        {
            var refused = new SaslAuthenticateResponse { ErrorCode = IllegalSaslState, ErrorMessage = "SaslAuthenticate must follow a SaslHandshake v1 for mechanism PLAIN." };
            return new Answer(ResponseFrames.Encode(header.CorrelationId, header.ApiVersion, refused), true);
        }

        var principal = await LoginAsync(authenticate.AuthBytes, remote, header.ClientId, cancellationToken).ConfigureAwait(false);
        var result = principal is null
            ? new SaslAuthenticateResponse { ErrorCode = SaslAuthenticationFailed, ErrorMessage = "Authentication failed: invalid username or password, or the credential expired or was revoked." }
            : new SaslAuthenticateResponse { AuthBytes = ReadOnlyMemory<byte>.Empty };
        return new Answer(ResponseFrames.Encode(header.CorrelationId, header.ApiVersion, result), principal is null);
    }

    /// <summary>The bare token after a v0 handshake: success is an empty frame, failure closes the connection
    /// with nothing sent (the empty frame is PLAIN's success answer, so sending it on failure would tell the
    /// client it logged in).</summary>
    public async Task<Answer> AuthenticateRawAsync(byte[] token, EndPoint? remote, CancellationToken cancellationToken)
    {
        ExpectsRawToken = false;
        var principal = await LoginAsync(token, remote, null, cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            return new Answer([], Close: true);
        }

        var empty = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(empty, 0);
        return new Answer(empty, Close: false);
    }

    private async Task<Principal?> LoginAsync(ReadOnlyMemory<byte> token, EndPoint? remote, string? clientId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var principal = TryParsePlain(token.Span, out var user, out var password)
            ? runtime.State.Authenticate(user, password, DateTimeOffset.UtcNow)
            : null;
        if (principal is null)
        {
            runtime.Metrics.AuthenticationFailed();
            // Counted from the start of the check, so every failure takes the same time whatever the
            // check cost; and waited out in full, because Task.Delay may wake a millisecond early.
            var delay = TimeSpan.FromMilliseconds(runtime.Spec.Limits.FailedLoginDelayMs);
            for (var left = delay - Stopwatch.GetElapsedTime(started); left > TimeSpan.Zero; left = delay - Stopwatch.GetElapsedTime(started))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        Principal = principal;
        return principal;
    }

    /// <summary>RFC 4616: [authzid] NUL authcid NUL passwd, UTF-8, no other NULs.</summary>
    internal static bool TryParsePlain(ReadOnlySpan<byte> token, out string user, out string password)
    {
        user = password = "";
        if (token.Length is 0 or > 1024)
        {
            return false;
        }

        var first = token.IndexOf((byte)0);
        if (first < 0)
        {
            return false;
        }

        var rest = token[(first + 1)..];
        var second = rest.IndexOf((byte)0);
        if (second <= 0 || rest[(second + 1)..].IndexOf((byte)0) >= 0)
        {
            return false;
        }

        try
        {
            var strict = new UTF8Encoding(false, true);
            var authzid = strict.GetString(token[..first]);
            user = strict.GetString(rest[..second]);
            password = strict.GetString(rest[(second + 1)..]);
            return password.Length > 0 && (authzid.Length == 0 || authzid == user);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
