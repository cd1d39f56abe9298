using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Ends the zone's own (namespaced) transaction. The v5 answer (KIP-890) carries the producer id
/// and the epoch the coordinator bumped, passed on as they are.</summary>
internal sealed class EndTxnHandler : ZoneHandler<EndTxnRequest>
{
    public override string Served => "forwarded, transactional id namespaced";

    public override string Refusal => "nothing refused: the transactional id is the zone's own (namespaced upstream)";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, EndTxnRequest request, CancellationToken cancellationToken)
    {
        request.TransactionalId = context.Zone.Namespaced(request.TransactionalId);
        return context.ForwardAsync<EndTxnResponse>(header, request, _ => { }, cancellationToken);
    }
}
