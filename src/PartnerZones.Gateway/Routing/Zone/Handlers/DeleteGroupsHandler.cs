using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Deletes the zone's own groups, then, best effort, the shadow groups holding their other
/// aliases' offsets (<see cref="AliasOffsets"/>). Shadow groups are deleted only when the zone's group
/// is gone (deleted now, or not found: a group that only ever committed other aliases has no offsets
/// of its own and may not exist upstream); a group still in use keeps them. When the zone's group was
/// not found but a shadow group was deleted, the partner's group did exist: the answer is success.</summary>
internal sealed class DeleteGroupsHandler : ZoneHandler<DeleteGroupsRequest>
{
    public override string Served => "forwarded, group ids namespaced; the groups' shadow groups deleted after them";

    public override string Refusal => "nothing refused: every group id is the zone's own (namespaced upstream)";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, DeleteGroupsRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var asked = request.GroupsNames;
        var upstreamRequest = new DeleteGroupsRequest { GroupsNames = [.. asked.Select(zone.Namespaced)] };
        var (response, frame) = await context.SendAsync<DeleteGroupsResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
        using (frame)
        {
            var shadowed = AliasOffsets.Shadowed(zone).ToList();
            foreach (var result in response.Results)
            {
                var group = zone.Strip(result.GroupId) ?? result.GroupId;
                result.GroupId = group;
                if (shadowed.Count == 0 || result.ErrorCode is not (0 or ErrorCodes.GroupIdNotFound))
                {
                    continue;
                }

                var deletedShadow = false;
                foreach (var alias in shadowed)
                {
                    var shadowId = AliasOffsets.ShadowGroup(zone, alias, group);
                    var (answer, _) = await context.Coordinators.SendAsync<DeleteGroupsResponse>(
                        shadowId,
                        new DeleteGroupsRequest { GroupsNames = [shadowId] },
                        header.ApiVersion,
                        header.ClientId,
                        r => r.Results.Count == 1 ? r.Results[0].ErrorCode : (short)0,
                        cancellationToken).ConfigureAwait(false);
                    deletedShadow |= answer is { Results: [{ ErrorCode: 0 }] };
                }

                if (deletedShadow && result.ErrorCode == ErrorCodes.GroupIdNotFound)
                {
                    result.ErrorCode = 0;
                }
            }

            return ZoneContext.Local(header, response);
        }
    }
}
