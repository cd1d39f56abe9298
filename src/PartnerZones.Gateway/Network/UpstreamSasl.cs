using System.Text;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Network;

/// <summary>Authenticates the gateway to the upstream cluster (SASL PLAIN or SCRAM over SaslHandshake v1 + SaslAuthenticate).</summary>
internal static class UpstreamSasl
{
    public static async Task AuthenticateAsync(UpstreamConnection connection, UpstreamConfig config, CancellationToken cancellationToken)
    {
        if (config.SaslMechanism is Security.SaslMechanisms.ScramSha256 or Security.SaslMechanisms.ScramSha512)
        {
            await UpstreamScram.AuthenticateAsync(connection, config, cancellationToken).ConfigureAwait(false);
            return;
        }

        var handshake = await connection.SendAsync<SaslHandshakeResponse>(
            new SaslHandshakeRequest { Mechanism = config.SaslMechanism ?? "PLAIN" }, 1, "partner-zones-gateway", cancellationToken).ConfigureAwait(false);
        if (handshake.ErrorCode != 0)
        {
            throw new UpstreamException($"Upstream {connection.Address} refused SASL mechanism {config.SaslMechanism} (error {handshake.ErrorCode}; it offers {string.Join(", ", handshake.Mechanisms)}).");
        }

        var token = Encoding.UTF8.GetBytes($"\0{config.Username}\0{config.Password}");
        var result = await connection.SendAsync<SaslAuthenticateResponse>(
            new SaslAuthenticateRequest { AuthBytes = token }, 1, "partner-zones-gateway", cancellationToken).ConfigureAwait(false);
        if (result.ErrorCode != 0)
        {
            throw new UpstreamException($"Upstream {connection.Address} rejected the gateway's credentials for '{config.Username}': {result.ErrorMessage ?? $"error {result.ErrorCode}"}.");
        }
    }
}
