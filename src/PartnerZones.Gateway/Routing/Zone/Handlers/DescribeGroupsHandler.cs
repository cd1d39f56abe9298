using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Describes the zone's own groups (namespaced upstream), given back without the prefix and
/// without the gateway's own authorized operations.</summary>
internal sealed class DescribeGroupsHandler : ZoneHandler<DescribeGroupsRequest>
{
    public override string Served => "forwarded, group ids namespaced; answered without the prefix";

    public override string Refusal => "nothing refused: every group id is the zone's own (namespaced upstream)";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, DescribeGroupsRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        request.Groups = [.. request.Groups.Select(zone.Namespaced)];
        return context.ForwardAsync<DescribeGroupsResponse>(header, request, response =>
        {
            foreach (var group in response.Groups)
            {
                group.GroupId = zone.Strip(group.GroupId) ?? group.GroupId;
                group.AuthorizedOperations = int.MinValue;
                // Kafka's v6 answer for a missing group quotes the id it was asked for: the namespaced one.
                group.ErrorMessage = group.ErrorMessage?.Replace(zone.GroupPrefix, "", StringComparison.Ordinal);
            }
        }, cancellationToken);
    }
}
