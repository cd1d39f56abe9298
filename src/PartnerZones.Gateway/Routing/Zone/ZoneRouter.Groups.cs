using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    private const sbyte GroupKey = 0;
    private const sbyte TransactionKey = 1;

    /// <summary>Group and transactional ids are looked up under the zone's prefix; the answer's keys are
    /// given back without it and its addresses are the gateway's.</summary>
    private Task<byte[]?> FindCoordinatorAsync(RequestHeader header, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        if (request.KeyType is not (GroupKey or TransactionKey))
        {
            // Share-group and other key types are not part of a zone.
            var refused = new FindCoordinatorResponse { ErrorCode = InvalidRequest, ErrorMessage = "Only group and transaction coordinators can be looked up through a partner zone." };
            foreach (var key in request.CoordinatorKeys)
            {
                refused.Coordinators.Add(new FindCoordinatorResponse.Coordinator { Key = key, NodeId = -1, Port = -1, ErrorCode = InvalidRequest, ErrorMessage = refused.ErrorMessage });
            }

            return Task.FromResult<byte[]?>(Local(header, refused));
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

    private Task<byte[]?> JoinGroupAsync(RequestHeader header, JoinGroupRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<JoinGroupResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<byte[]?> SyncGroupAsync(RequestHeader header, SyncGroupRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<SyncGroupResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<byte[]?> HeartbeatAsync(RequestHeader header, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<HeartbeatResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<byte[]?> LeaveGroupAsync(RequestHeader header, LeaveGroupRequest request, CancellationToken cancellationToken)
    {
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<LeaveGroupResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<byte[]?> DescribeGroupsAsync(RequestHeader header, DescribeGroupsRequest request, CancellationToken cancellationToken)
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
    private Task<byte[]?> ListGroupsAsync(RequestHeader header, ListGroupsRequest request, CancellationToken cancellationToken) =>
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

    private Task<byte[]?> DeleteGroupsAsync(RequestHeader header, DeleteGroupsRequest request, CancellationToken cancellationToken)
    {
        request.GroupsNames = [.. request.GroupsNames.Select(Zone.Namespaced)];
        return ForwardAsync<DeleteGroupsResponse>(header, request, response =>
        {
            foreach (var result in response.Results)
            {
                result.GroupId = Zone.Strip(result.GroupId) ?? result.GroupId;
            }
        }, cancellationToken);
    }
}
