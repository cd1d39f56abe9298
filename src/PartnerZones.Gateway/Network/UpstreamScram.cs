using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Network;

/// <summary>The gateway's SCRAM login to an upstream broker: handshake, client-first, client-final, and the
/// broker's signature checked.</summary>
internal static class UpstreamScram
{
    private const string ClientId = "partner-zones-gateway";

    public static async Task AuthenticateAsync(UpstreamConnection connection, UpstreamConfig config, CancellationToken cancellationToken)
    {
        var mechanism = config.SaslMechanism!;
        var handshake = await connection.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = mechanism }, 1, ClientId, cancellationToken).ConfigureAwait(false);
        if (handshake.ErrorCode != 0)
        {
            throw new UpstreamException($"Upstream {connection.Address} refused SASL mechanism {mechanism} (error {handshake.ErrorCode}; it offers {string.Join(", ", handshake.Mechanisms)}).");
        }

        var client = new ScramClient(mechanism, config.Username!, config.Password!);
        try
        {
            var first = await connection.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = client.First() }, 1, ClientId, cancellationToken).ConfigureAwait(false);
            Refused(connection, config, first);
            var final = await connection.SendAsync<SaslAuthenticateResponse>(new SaslAuthenticateRequest { AuthBytes = client.Final(first.AuthBytes.Span) }, 1, ClientId, cancellationToken).ConfigureAwait(false);
            Refused(connection, config, final);
            client.Verify(final.AuthBytes.Span);
        }
        catch (ScramClientException e)
        {
            throw new UpstreamException($"Upstream {connection.Address}: {e.Message}.", e);
        }
    }

    private static void Refused(UpstreamConnection connection, UpstreamConfig config, SaslAuthenticateResponse response)
    {
        if (response.ErrorCode != 0)
        {
            throw new UpstreamException($"Upstream {connection.Address} rejected the gateway's credentials for '{config.Username}': {response.ErrorMessage ?? $"error {response.ErrorCode}"}.");
        }
    }
}
