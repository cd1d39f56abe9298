using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// Chooses the SASL mechanism (v0: raw tokens follow; v1: SaslAuthenticate follows). Advertised on every
/// listener, as Kafka does; on a PLAINTEXT listener, or once authenticated, it answers ILLEGAL_SASL_STATE.
/// </summary>
internal sealed class SaslHandshakeHandler : ApiHandler<SaslHandshakeRequest, SaslHandshakeResponse>
{
    protected override ValueTask<SaslHandshakeResponse?> HandleAsync(RequestContext context, SaslHandshakeRequest request, CancellationToken cancellationToken)
    {
        var connection = context.Connection;
        if (connection.Sasl is not { } session)
        {
            return ValueTask.FromResult<SaslHandshakeResponse?>(new SaslHandshakeResponse { ErrorCode = ErrorCodes.IllegalSaslState });
        }

        var outcome = session.Handshake(request.Mechanism, context.Version);
        if (outcome.Close)
        {
            connection.CloseAfterResponse = true;
            context.Node.Log($"closing connection from {connection.Remote}: SaslHandshake for mechanism '{request.Mechanism}' refused (error {outcome.ErrorCode}); enabled: {string.Join(", ", outcome.Mechanisms)}");
        }

        return ValueTask.FromResult<SaslHandshakeResponse?>(new SaslHandshakeResponse { ErrorCode = outcome.ErrorCode, Mechanisms = [.. outcome.Mechanisms] });
    }
}

/// <summary>Carries one SASL token each way after a v1 handshake (KIP-152). A refused login is answered
/// with SASL_AUTHENTICATION_FAILED and a message, then the connection is closed.</summary>
internal sealed class SaslAuthenticateHandler : ApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse>
{
    protected override ValueTask<SaslAuthenticateResponse?> HandleAsync(RequestContext context, SaslAuthenticateRequest request, CancellationToken cancellationToken)
    {
        var connection = context.Connection;
        if (connection.Sasl is not { } session)
        {
            return ValueTask.FromResult<SaslAuthenticateResponse?>(new SaslAuthenticateResponse
            {
                ErrorCode = ErrorCodes.IllegalSaslState,
                ErrorMessage = "SASL is not enabled on this listener",
            });
        }

        var outcome = session.Authenticate(request.AuthBytes.Span);
        if (outcome.Close)
        {
            connection.CloseAfterResponse = true;
            var user = outcome.Failure?.User is { } name ? $" as '{name}'" : "";
            context.Node.Log($"closing connection from {connection.Remote}: {(session.Mechanism is { } mechanism ? mechanism.Name() : "SASL")} login{user} failed: {outcome.ErrorMessage}");
        }

        return ValueTask.FromResult<SaslAuthenticateResponse?>(new SaslAuthenticateResponse
        {
            ErrorCode = outcome.ErrorCode,
            ErrorMessage = outcome.ErrorMessage,
            AuthBytes = outcome.Reply,

            // 0: no re-authentication deadline (KIP-368); the embedded cluster never expires a session.
            SessionLifetimeMs = 0,
        });
    }
}
