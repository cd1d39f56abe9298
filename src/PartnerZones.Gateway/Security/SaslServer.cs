using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.State;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Security;

/// <summary>
/// SASL terminated at the gateway: PLAIN and SCRAM-SHA-256/512 over SaslHandshake v0/v1 and
/// SaslAuthenticate v0-2 (or the bare token frames that follow a v0 handshake). Tokens are parsed
/// strictly; a failed login is answered after a fixed delay and closes the connection. A login becomes a
/// <see cref="LiveSession"/> the gateway can close when its credential is revoked or its zone changes;
/// its lifetime (credential expiry, or the longest session) is told to the client, which may
/// re-authenticate on the same connection as the same principal (KIP-368). Every attempt is audited.
/// </summary>
internal sealed class SaslServer(GatewayRuntime runtime, ConnectionContext connection) : IDisposable
{
    private const short SaslAuthenticationFailed = 58;
    private const short UnsupportedSaslMechanism = 33;
    private const short IllegalSaslState = 34;
    private const string GenericFailure = "Authentication failed: invalid username or password, or the credential expired or was revoked.";

    /// <summary>Made-up SCRAM salts for unknown users come from this key: stable for a user, unguessable.</summary>
    private static readonly byte[] UnknownUserKey = RandomNumberGenerator.GetBytes(32);

    private string? _mechanism;
    private bool _handshakeDone;
    private ScramExchange? _scram;
    private LiveSession? _session;
    private string? _clientId;

    public Principal? Principal => _session?.Principal;

    public bool IsComplete => _session is not null;

    public bool ExpectsRawToken { get; private set; }

    public readonly record struct Answer(byte[] Frame, bool Close);

    private readonly record struct Step(bool Failed, byte[] Challenge, long LifetimeMs, string? Failure);

    public async Task<Answer> HandleAsync(RequestHeader header, byte[] body, CancellationToken cancellationToken)
    {
        _clientId = header.ClientId ?? _clientId;
        var offered = runtime.Spec.Listener.SaslMechanisms;
        if (header.ApiKey == SaslHandshakeRequest.Key)
        {
            var request = MessageCodec.Decode<SaslHandshakeRequest>(body, header.ApiVersion);
            var known = offered.Contains(request.Mechanism, StringComparer.Ordinal);
            // Re-authentication needs handshake v1 and the mechanism of the first login (KIP-368).
            var reauthOk = _session is null || (header.ApiVersion >= 1 && request.Mechanism == _session.Mechanism);
            var ok = known && !_handshakeDone && reauthOk;
            if (ok)
            {
                _mechanism = request.Mechanism;
                _handshakeDone = true;
                _scram = null;
                ExpectsRawToken = header.ApiVersion == 0;
            }

            var response = new SaslHandshakeResponse { ErrorCode = ok ? (short)0 : known ? IllegalSaslState : UnsupportedSaslMechanism, Mechanisms = [.. offered] };
            return new Answer(ResponseFrames.Encode(header.CorrelationId, header.ApiVersion, response), !ok);
        }

        var authenticate = MessageCodec.Decode<SaslAuthenticateRequest>(body, header.ApiVersion);
        if (!_handshakeDone || ExpectsRawToken)
        {
            var refused = new SaslAuthenticateResponse { ErrorCode = IllegalSaslState, ErrorMessage = "SaslAuthenticate must follow a SaslHandshake v1." };
            return new Answer(ResponseFrames.Encode(header.CorrelationId, header.ApiVersion, refused), true);
        }

        var step = await StepAsync(authenticate.AuthBytes, cancellationToken).ConfigureAwait(false);
        var result = step.Failed
            ? new SaslAuthenticateResponse { ErrorCode = SaslAuthenticationFailed, ErrorMessage = GenericFailure }
            : new SaslAuthenticateResponse { AuthBytes = step.Challenge, SessionLifetimeMs = step.LifetimeMs };
        return new Answer(ResponseFrames.Encode(header.CorrelationId, header.ApiVersion, result), step.Failed);
    }

    /// <summary>A bare token frame after a v0 handshake: the answer is the server's message as a bare frame
    /// (empty when PLAIN succeeds); a failure closes the connection.</summary>
    public async Task<Answer> AuthenticateRawAsync(byte[] token, CancellationToken cancellationToken)
    {
        var step = await StepAsync(token, cancellationToken).ConfigureAwait(false);
        if (step.Failed)
        {
            // Nothing is sent: an empty frame is PLAIN's success answer, so sending it on failure would
            // tell the client it logged in.
            return new Answer([], Close: true);
        }

        var frame = new byte[4 + step.Challenge.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, step.Challenge.Length);
        step.Challenge.CopyTo(frame, 4);
        return new Answer(frame, Close: false);
    }

    private async Task<Step> StepAsync(ReadOnlyMemory<byte> token, CancellationToken cancellationToken)
    {
        var mechanism = _mechanism!;
        var now = DateTimeOffset.UtcNow;
        if (mechanism == SaslMechanisms.Plain)
        {
            var result = TryParsePlain(token.Span, out var user, out var password)
                ? runtime.State.Login(user, password, now)
                : LoginResult.Failed("malformed PLAIN token");
            return await FinishAsync(user.Length > 0 ? user : null, result, [], now, cancellationToken).ConfigureAwait(false);
        }

        if (_scram is null)
        {
            _scram = new ScramExchange(mechanism, UnknownUserKey);
            if (_scram.Start(token.Span, runtime.State) is { } serverFirst)
            {
                return new Step(false, serverFirst, 0, null);
            }

            return await FinishAsync(null, LoginResult.Failed("malformed SCRAM client-first message"), [], now, cancellationToken).ConfigureAwait(false);
        }

        var (login, serverFinal) = _scram.Finish(token.Span, runtime.State, now);
        return await FinishAsync(_scram.User, login, serverFinal ?? [], now, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Step> FinishAsync(string? user, LoginResult result, byte[] challenge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mechanism = _mechanism!;
        _handshakeDone = false;
        _scram = null;
        ExpectsRawToken = false;
        var reauthenticating = _session is not null;
        if (result.Principal is { } principal && reauthenticating && principal.Name != _session!.Principal.Name)
        {
            result = LoginResult.Failed($"re-authentication as '{principal.Name}' on a connection of '{_session.Principal.Name}'", result.CredentialId);
        }

        var action = reauthenticating ? "reauthenticate" : "login";
        if (result.Principal is null)
        {
            runtime.Metrics.AuthenticationFailed();
            Audit(action, "failure", user, mechanism, result.CredentialId, result.Failure);
            // Waited out in full: Task.Delay may wake a millisecond early, and the delay is a promise.
            var delay = TimeSpan.FromMilliseconds(runtime.Spec.Limits.FailedLoginDelayMs);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var left = delay; left > TimeSpan.Zero; left = delay - System.Diagnostics.Stopwatch.GetElapsedTime(started))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), cancellationToken).ConfigureAwait(false);
            }

            return new Step(true, [], 0, result.Failure);
        }

        var deadline = Deadline(result.ExpiresAt, now);
        if (_session is { } session)
        {
            session.Renew(result.Principal.CredentialId, deadline);
            session.ClientId = _clientId;
        }
        else
        {
            session = new LiveSession(result.Principal, mechanism, connection.RemoteEndPoint?.ToString(), reason => connection.Abort(new ConnectionAbortedException(reason)))
            {
                ClientId = _clientId,
            };
            session.Renew(result.Principal.CredentialId, deadline);
            _session = session;
            runtime.Sessions.Add(session);
        }

        runtime.Sessions.LoggedIn(result.Principal.CredentialId, now);
        Audit(action, "success", result.Principal.Name, mechanism, result.Principal.CredentialId, deadline is { } d ? $"session lifetime until {d:O}" : null);
        // A revocation published while this login was being checked swept before the session was listed:
        // look once more, now that it is.
        if (runtime.State.SessionProblem(session.Principal, session.CredentialId) is { } problem)
        {
            runtime.CloseSession(session, problem);
        }

        var lifetime = deadline is { } end ? Math.Max(1, (long)(end - now).TotalMilliseconds) : 0;
        return new Step(false, challenge, lifetime, null);
    }

    private DateTimeOffset? Deadline(DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var max = runtime.Spec.Limits.MaxSessionLifetimeMs;
        DateTimeOffset? limit = max > 0 ? now.AddMilliseconds(max) : null;
        return (expiresAt, limit) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, var b) => b,
        };
    }

    /// <summary>The connection did not complete SASL within limits.authenticationTimeoutMs: a failed login
    /// in the metrics and the audit trail (the session closes the connection).</summary>
    public void TimedOut(int timeoutMs)
    {
        runtime.Metrics.AuthenticationFailed();
        Audit("login", "failure", null, _mechanism ?? "", null, $"no SASL login completed within {timeoutMs} ms (limits.authenticationTimeoutMs)");
    }

    private void Audit(string action, string outcome, string? user, string mechanism, string? credentialId, string? detail) =>
        runtime.Audit.Emit(new AuditEvent
        {
            Action = action,
            Outcome = outcome,
            User = user,
            ClientAddress = connection.RemoteEndPoint?.ToString(),
            ClientId = _clientId,
            Mechanism = mechanism,
            CredentialId = credentialId,
            Detail = detail,
        });

    public void Dispose()
    {
        if (_session is not null)
        {
            runtime.Sessions.Remove(_session);
        }
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
            if (password.Length > 0 && (authzid.Length == 0 || authzid == user))
            {
                return true;
            }

            user = password = "";
            return false;
        }
        catch (DecoderFallbackException)
        {
            user = password = "";
            return false;
        }
    }
}
