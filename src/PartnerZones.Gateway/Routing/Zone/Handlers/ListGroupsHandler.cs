using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Lists only the zone's own groups, without the prefix.</summary>
internal sealed class ListGroupsHandler : ZoneHandler<ListGroupsRequest>
{
    public override string Served => "filtered to the zone: its own groups, without the prefix";

    public override string Refusal => "other groups are left out, as Kafka leaves out groups a client may not describe";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, ListGroupsRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        return context.ForwardAsync<ListGroupsResponse>(header, request, response =>
        {
            response.Groups = [.. response.Groups
                .Where(g => zone.Strip(g.GroupId) is not null)
                .Select(g =>
                {
                    g.GroupId = zone.Strip(g.GroupId)!;
                    return g;
                })];
        }, cancellationToken);
    }
}
