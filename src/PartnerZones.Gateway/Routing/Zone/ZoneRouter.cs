using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Framing;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// Serves a partner principal: each request goes to its API's handler (<see cref="ZoneHandlers"/>),
/// which checks it against the zone, rewrites it to the backing cluster's names and back, or answers
/// it itself. Anything outside the zone does not exist for the partner. An API or version outside the
/// offer closes the connection, as Kafka does, and says why (<see cref="UnsupportedRequestException"/>).
/// </summary>
internal sealed class ZoneRouter(GatewayRuntime runtime, UpstreamLink upstream, Principal principal, System.Net.IPAddress? clientAddress = null, Traffic.ConnectionMute? mute = null) : IRequestRouter, IAsyncDisposable
{
    private readonly ZoneContext _context = new(runtime, upstream, principal, clientAddress, mute);

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    public Task<OutgoingFrame?> RouteAsync(RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // The offer (codecs, upstream, translation) and not the handlers alone: a handler that answers locally
        // would otherwise serve an API the upstream lacks, which a client was never offered.
        if (!runtime.Apis.Offers(header.ApiKey, header.ApiVersion) || ZoneHandlers.Find(header.ApiKey) is not { } handler)
        {
            throw new UnsupportedRequestException(header.ApiKey, header.ApiVersion, runtime.Apis.Describe(header.ApiKey));
        }

        return handler.HandleAsync(_context, header, body, cancellationToken);
    }
}
