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
internal sealed class ZoneRouter(GatewayRuntime runtime, UpstreamLink upstream, Principal principal) : IRequestRouter, IAsyncDisposable
{
    /// <summary>Exactly what ApiVersions offers: the handlers' ranges (every codec's whole range) intersected
    /// with the codecs and the upstream. Checking the handlers alone would still answer an API the upstream
    /// lacks (the refusals are answered here), so a client could use what it was never offered.</summary>
    private readonly Dictionary<short, (short Min, short Max)> _offered =
        runtime.Apis.Offered(ZoneHandlers.Cap).ToDictionary(a => a.Key, a => (a.Min, a.Max));

    private readonly ZoneContext _context = new(runtime, upstream, principal);

    public ValueTask DisposeAsync() => _context.DisposeAsync();

    public Task<OutgoingFrame?> RouteAsync(RequestHeader header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!_offered.TryGetValue(header.ApiKey, out var range) || header.ApiVersion < range.Min || header.ApiVersion > range.Max
            || ZoneHandlers.Find(header.ApiKey) is not { } handler)
        {
            throw new UnsupportedRequestException(header.ApiKey, header.ApiVersion, _offered.TryGetValue(header.ApiKey, out var served) ? $"v{served.Min}-{served.Max}" : "not at all");
        }

        return handler.HandleAsync(_context, header, body, cancellationToken);
    }
}
