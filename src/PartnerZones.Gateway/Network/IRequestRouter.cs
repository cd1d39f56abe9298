using PartnerZones.Protocol.Framing;

namespace PartnerZones.Gateway.Network;

/// <summary>Serves an authenticated request: answers it locally or through the upstream connection.
/// Returns the complete response frame for the client, or null when the client expects none.</summary>
internal interface IRequestRouter
{
    Task<byte[]?> RouteAsync(RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
