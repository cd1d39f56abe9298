using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>JoinGroup: waits for the rebalance to complete, then answers with the generation.</summary>
internal sealed class JoinGroupHandler : ApiHandler<JoinGroupRequest, JoinGroupResponse>
{
    protected override async ValueTask<JoinGroupResponse?> HandleAsync(RequestContext context, JoinGroupRequest request, CancellationToken cancellationToken)
    {
        var groups = context.Node.Cluster.Groups;
        if (groups.CoordinatorFor(request.GroupId) != context.Node.Id)
        {
            return new JoinGroupResponse { ErrorCode = ErrorCodes.NotCoordinator, MemberId = request.MemberId, ProtocolName = context.Version >= 7 ? null : "" };
        }

        if (request.GroupId.Length == 0)
        {
            return new JoinGroupResponse { ErrorCode = ErrorCodes.InvalidGroupId, MemberId = request.MemberId, ProtocolName = context.Version >= 7 ? null : "" };
        }

        var join = new JoinRequest(
            request.GroupId,
            request.MemberId,
            request.GroupInstanceId,
            context.Header.ClientId ?? "",
            "/" + (context.Connection.Remote?.ToString()?.Split(':')[0] ?? "127.0.0.1"),
            request.SessionTimeoutMs,
            // v0 has no rebalance timeout: Kafka waits the session timeout for members to rejoin.
            context.Version == 0 || request.RebalanceTimeoutMs < 0 ? request.SessionTimeoutMs : request.RebalanceTimeoutMs,
            request.ProtocolType,
            [.. request.Protocols.Select(p => (p.Name, p.Metadata.ToArray()))],
            RequireKnownMemberId: context.Version >= 4);
        var result = await groups.JoinAsync(join).WaitAsync(cancellationToken).ConfigureAwait(false);
        var response = new JoinGroupResponse
        {
            ErrorCode = result.ErrorCode,
            GenerationId = result.GenerationId,
            ProtocolType = result.ProtocolType,
            ProtocolName = result.ProtocolName ?? (context.Version >= 7 ? null : ""),
            Leader = result.LeaderId,
            MemberId = result.MemberId,
        };
        foreach (var (memberId, instanceId, metadata) in result.Members)
        {
            response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember { MemberId = memberId, GroupInstanceId = instanceId, Metadata = metadata });
        }

        return response;
    }
}

/// <summary>SyncGroup: the leader hands in assignments; every member waits for its own.</summary>
internal sealed class SyncGroupHandler : ApiHandler<SyncGroupRequest, SyncGroupResponse>
{
    protected override async ValueTask<SyncGroupResponse?> HandleAsync(RequestContext context, SyncGroupRequest request, CancellationToken cancellationToken)
    {
        var groups = context.Node.Cluster.Groups;
        if (groups.CoordinatorFor(request.GroupId) != context.Node.Id)
        {
            return new SyncGroupResponse { ErrorCode = ErrorCodes.NotCoordinator };
        }

        var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var a in request.Assignments)
        {
            assignments[a.MemberId] = a.Assignment.ToArray();
        }

        var result = await groups.SyncAsync(request.GroupId, request.GenerationId, request.MemberId, assignments)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return new SyncGroupResponse
        {
            ErrorCode = result.ErrorCode,
            ProtocolType = result.ProtocolType,
            ProtocolName = result.ProtocolName,
            Assignment = result.Assignment,
        };
    }
}

internal sealed class HeartbeatHandler : ApiHandler<HeartbeatRequest, HeartbeatResponse>
{
    protected override ValueTask<HeartbeatResponse?> HandleAsync(RequestContext context, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        var groups = context.Node.Cluster.Groups;
        var code = groups.CoordinatorFor(request.GroupId) != context.Node.Id
            ? ErrorCodes.NotCoordinator
            : groups.Heartbeat(request.GroupId, request.GenerationId, request.MemberId);
        return ValueTask.FromResult<HeartbeatResponse?>(new HeartbeatResponse { ErrorCode = code });
    }
}

/// <summary>LeaveGroup: one member (v0-2) or a batch of members, possibly by instance id (v3+).</summary>
internal sealed class LeaveGroupHandler : ApiHandler<LeaveGroupRequest, LeaveGroupResponse>
{
    protected override ValueTask<LeaveGroupResponse?> HandleAsync(RequestContext context, LeaveGroupRequest request, CancellationToken cancellationToken)
    {
        var groups = context.Node.Cluster.Groups;
        var response = new LeaveGroupResponse();
        if (groups.CoordinatorFor(request.GroupId) != context.Node.Id)
        {
            response.ErrorCode = ErrorCodes.NotCoordinator;
        }
        else if (context.Version < 3)
        {
            response.ErrorCode = groups.Leave(request.GroupId, request.MemberId, null);
        }
        else
        {
            foreach (var member in request.Members)
            {
                var code = groups.Leave(request.GroupId, member.MemberId, member.GroupInstanceId);
                response.Members.Add(new LeaveGroupResponse.MemberResponse { MemberId = member.MemberId, GroupInstanceId = member.GroupInstanceId, ErrorCode = code });
            }
        }

        return ValueTask.FromResult<LeaveGroupResponse?>(response);
    }
}
