using PartnerZones.Protocol.Framing;

namespace PartnerZones.Gateway.Network;

/// <summary>Serves an authenticated request: answers it locally or through the upstream connection.
/// Returns the response for the client's write loop to send (and then dispose), or null when the client
/// expects none.</summary>
internal interface IRequestRouter
{
    Task<OutgoingFrame?> RouteAsync(RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
