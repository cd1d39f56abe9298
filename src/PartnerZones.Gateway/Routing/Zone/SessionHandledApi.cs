using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>A registry entry for an API the client session answers itself before any router sees it
/// (ApiVersions, SASL): it says which versions are offered and is never asked to serve.</summary>
internal abstract class SessionHandledApi<TRequest> : ZoneHandler<TRequest>
    where TRequest : IKafkaRequest, new()
{
    public sealed override string Served => "answered by the gateway";

    public override string Refusal => "nothing refused: the gateway answers it before any routing, for every principal alike";

    protected sealed override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, TRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"API key {header.ApiKey} is answered by the client session and never routed.");
}
