using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Both the transactional id and the group id go upstream under the zone's prefix.</summary>
internal sealed class AddOffsetsToTxnHandler : ZoneHandler<AddOffsetsToTxnRequest>
{
    public override string Served => "forwarded, transactional and group ids namespaced";

    public override string Refusal => "nothing refused: transactional and group ids are the zone's own (namespaced upstream)";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, AddOffsetsToTxnRequest request, CancellationToken cancellationToken)
    {
        request.TransactionalId = context.Zone.Namespaced(request.TransactionalId);
        request.GroupId = context.Zone.Namespaced(request.GroupId);
        return context.ForwardAsync<AddOffsetsToTxnResponse>(header, request, _ => { }, cancellationToken);
    }
}
