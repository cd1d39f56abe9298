using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    private const sbyte GroupKey = 0;
    private const sbyte TransactionKey = 1;

    /// <summary>Group and transactional ids are looked up under the zone's prefix; the answer's keys are
    /// given back without it and its addresses are the gateway's.</summary>
    private Task<OutgoingFrame?> FindCoordinatorAsync(RequestHeader header, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        if (request.KeyType is not (GroupKey or TransactionKey))
        {
            // Share-group and other key types are not part of a zone.
            var refused = new FindCoordinatorResponse { ErrorCode = InvalidRequest, ErrorMessage = "Only group and transaction coordinators can be looked up through a partner zone." };
            foreach (var key in request.CoordinatorKeys)
            {
                refused.Coordinators.Add(new FindCoordinatorResponse.Coordinator { Key = key, NodeId = -1, Port = -1, ErrorCode = InvalidRequest, ErrorMessage = refused.ErrorMessage });
            }

            return Task.FromResult<OutgoingFrame?>(Local(header, refused));
        }

        request.CoordinatorKey = Zone.Namespaced(request.CoordinatorKey);
        request.CoordinatorKeys = [.. request.CoordinatorKeys.Select(Zone.Namespaced)];
        return ForwardAsync<FindCoordinatorResponse>(header, request, response =>
        {
            AddressRewriter.Rewrite(runtime, response);
            foreach (var coordinator in response.Coordinators)
            {
                coordinator.Key = Zone.Strip(coordinator.Key) ?? coordinator.Key;
            }
        }, cancellationToken);
    }

    private Task<OutgoingFrame?> JoinGroupAsync(RequestHeader header, JoinGroupRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<JoinGroupResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<OutgoingFrame?> SyncGroupAsync(RequestHeader header, SyncGroupRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<SyncGroupResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<OutgoingFrame?> HeartbeatAsync(RequestHeader header, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<HeartbeatResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<OutgoingFrame?> LeaveGroupAsync(RequestHeader header, LeaveGroupRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<LeaveGroupResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<OutgoingFrame?> DescribeGroupsAsync(RequestHeader header, DescribeGroupsRequest request, CancellationToken cancellationToken)
    {
        request.Groups = [.. request.Groups.Select(Zone.Namespaced)];
        return ForwardAsync<DescribeGroupsResponse>(header, request, response =>
        {
            foreach (var group in response.Groups)
            {
                group.GroupId = Zone.Strip(group.GroupId) ?? group.GroupId;
                group.AuthorizedOperations = int.MinValue;
                // Kafka's v6 answer for a missing group quotes the id it was asked for: the namespaced one.
                group.ErrorMessage = group.ErrorMessage?.Replace(Zone.GroupPrefix, "", StringComparison.Ordinal);
            }
        }, cancellationToken);
    }

    /// <summary>Lists only the zone's own groups, without the prefix.</summary>
    private Task<OutgoingFrame?> ListGroupsAsync(RequestHeader header, ListGroupsRequest request, CancellationToken cancellationToken) =>
        ForwardAsync<ListGroupsResponse>(header, request, response =>
        {
            response.Groups = [.. response.Groups
                .Where(g => Zone.Strip(g.GroupId) is not null)
                .Select(g =>
                {
                    g.GroupId = Zone.Strip(g.GroupId)!;
                    return g;
                })];
        }, cancellationToken);

    /// <summary>Deletes the zone's own groups, then, best effort, the shadow groups holding their other
    /// aliases' offsets (<see cref="AliasOffsets"/>). Shadow groups are deleted only when the zone's group
    /// is gone (deleted now, or not found: a group that only ever committed other aliases has no offsets
    /// of its own and may not exist upstream); a group still in use keeps them. When the zone's group was
    /// not found but a shadow group was deleted, the partner's group did exist: the answer is success.</summary>
    private async Task<OutgoingFrame?> DeleteGroupsAsync(RequestHeader header, DeleteGroupsRequest request, CancellationToken cancellationToken)
    {
        var zone = Zone;
        var asked = request.GroupsNames;
        var upstreamRequest = new DeleteGroupsRequest { GroupsNames = [.. asked.Select(zone.Namespaced)] };
        var (response, frame) = await SendAsync<DeleteGroupsResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
        using (frame)
        {
            var shadowed = AliasOffsets.Shadowed(zone).ToList();
            foreach (var result in response.Results)
            {
                var group = zone.Strip(result.GroupId) ?? result.GroupId;
                result.GroupId = group;
                if (shadowed.Count == 0 || result.ErrorCode is not (0 or GroupIdNotFound))
                {
                    continue;
                }

                var deletedShadow = false;
                foreach (var alias in shadowed)
                {
                    var shadowId = AliasOffsets.ShadowGroup(zone, alias, group);
                    var (answer, _) = await _coordinators.SendAsync<DeleteGroupsResponse>(
                        shadowId,
                        new DeleteGroupsRequest { GroupsNames = [shadowId] },
                        header.ApiVersion,
                        header.ClientId,
                        r => r.Results.Count == 1 ? r.Results[0].ErrorCode : (short)0,
                        cancellationToken).ConfigureAwait(false);
                    deletedShadow |= answer is { Results: [{ ErrorCode: 0 }] };
                }

                if (deletedShadow && result.ErrorCode == GroupIdNotFound)
                {
                    result.ErrorCode = 0;
                }
            }

            return Local(header, response);
        }
    }
}
