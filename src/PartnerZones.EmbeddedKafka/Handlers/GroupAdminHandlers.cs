using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Describes groups this node coordinates; others get NOT_COORDINATOR so clients ask the right node.</summary>
internal sealed class DescribeGroupsHandler : ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse>
{
    protected override ValueTask<DescribeGroupsResponse?> HandleAsync(RequestContext context, DescribeGroupsRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Node.Cluster.Groups;
        var response = new DescribeGroupsResponse();
        foreach (var groupId in request.Groups)
        {
            var described = new DescribeGroupsResponse.DescribedGroup { GroupId = groupId };
            if (coordinator.CoordinatorFor(groupId) != context.Node.Id)
            {
                described.ErrorCode = ErrorCodes.NotCoordinator;
            }
            else if (coordinator.Find(groupId) is var found && (found is null || IsConsumerProtocol(found)))
            {
                // Kafka 4 describes only classic groups here: a consumer-protocol group is described by
                // ConsumerGroupDescribe, and DescribeGroups answers for it as for a group that does not exist.
                described.GroupState = "Dead";
                if (context.Version >= 6)
                {
                    described.ErrorCode = ErrorCodes.GroupIdNotFound;
                    if (found is not null)
                    {
                        described.ErrorMessage = "The group is not a classic group.";
                    }
                }
            }
            else
            {
                var group = found;
                lock (group)
                {
                    described.GroupState = group.Phase.ToString();
                    described.ProtocolType = group.ProtocolType ?? "";
                    described.ProtocolData = group.Phase == GroupPhase.Stable ? group.ProtocolName ?? "" : "";
                    foreach (var m in group.Members.Values)
                    {
                        described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                        {
                            MemberId = m.MemberId,
                            GroupInstanceId = m.GroupInstanceId,
                            ClientId = m.ClientId,
                            ClientHost = m.ClientHost,
                            MemberMetadata = group.ProtocolName is { } p ? m.MetadataFor(p) ?? [] : [],
                            MemberAssignment = m.Assignment,
                        });
                    }
                }
            }

            response.Groups.Add(described);
        }

        return ValueTask.FromResult<DescribeGroupsResponse?>(response);
    }

    private static bool IsConsumerProtocol(ConsumerGroup group)
    {
        lock (group)
        {
            return group.Modern is not null;
        }
    }
}

/// <summary>Lists the groups this node coordinates, optionally filtered by state.</summary>
internal sealed class ListGroupsHandler : ApiHandler<ListGroupsRequest, ListGroupsResponse>
{
    protected override ValueTask<ListGroupsResponse?> HandleAsync(RequestContext context, ListGroupsRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Node.Cluster.Groups;
        var response = new ListGroupsResponse();
        foreach (var group in coordinator.All().Where(g => coordinator.CoordinatorFor(g.GroupId) == context.Node.Id))
        {
            string state;
            string protocolType;
            string type;
            lock (group)
            {
                // Kafka 4 names a consumer-protocol group's own states (Empty, Assigning, Reconciling, Stable).
                state = group.Modern?.StateName ?? group.Phase.ToString();
                protocolType = group.ProtocolType ?? "";
                type = group.TypeName;
            }

            if (request.StatesFilter.Count > 0 && !request.StatesFilter.Contains(state, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (request.TypesFilter.Count > 0 && !request.TypesFilter.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = group.GroupId, ProtocolType = protocolType, GroupState = state, GroupType = type });
        }

        return ValueTask.FromResult<ListGroupsResponse?>(response);
    }
}

/// <summary>Deletes empty groups and their committed offsets.</summary>
internal sealed class DeleteGroupsHandler : ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse>
{
    protected override ValueTask<DeleteGroupsResponse?> HandleAsync(RequestContext context, DeleteGroupsRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Node.Cluster.Groups;
        var response = new DeleteGroupsResponse();
        foreach (var groupId in request.GroupsNames)
        {
            var code = coordinator.CoordinatorFor(groupId) != context.Node.Id ? ErrorCodes.NotCoordinator : coordinator.Delete(groupId);
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = groupId, ErrorCode = code });
        }

        return ValueTask.FromResult<DeleteGroupsResponse?>(response);
    }
}
