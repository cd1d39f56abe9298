using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>The group id goes upstream under the zone's prefix, so a partner only ever reaches its own groups.</summary>
internal sealed class LeaveGroupHandler : ZoneHandler<LeaveGroupRequest>
{
    public override string Served => "forwarded, group id namespaced";

    public override string Refusal => "nothing refused: every group id is the zone's own (namespaced upstream)";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, LeaveGroupRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = context.Zone.Namespaced(request.GroupId);
        return context.ForwardAsync<LeaveGroupResponse>(header, request, _ => { }, cancellationToken);
    }
}
