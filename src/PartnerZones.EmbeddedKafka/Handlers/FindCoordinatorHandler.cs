using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Names the node that coordinates a group (key type 0) or transactional id (key type 1),
/// in the single-key form (v0-3) and the batched form (v4+).</summary>
internal sealed class FindCoordinatorHandler : ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse>
{
    protected override ValueTask<FindCoordinatorResponse?> HandleAsync(RequestContext context, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Node.Cluster;
        var response = new FindCoordinatorResponse();
        if (request.KeyType is not (0 or 1))
        {
            response.ErrorCode = ErrorCodes.InvalidRequest;
            response.ErrorMessage = $"Coordinator key type {request.KeyType} is not supported; use 0 (group) or 1 (transaction).";
        }

        if (context.Version < 4)
        {
            var node = cluster.Node(cluster.Groups.CoordinatorFor(request.CoordinatorKey));
            if (response.ErrorCode == 0)
            {
                response.NodeId = node.Id;
                response.Host = cluster.Options.Host;
                response.Port = node.EndPoint.Port;
            }

            return ValueTask.FromResult<FindCoordinatorResponse?>(response);
        }

        foreach (var key in request.CoordinatorKeys)
        {
            var node = cluster.Node(cluster.Groups.CoordinatorFor(key));
            response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
            {
                Key = key,
                NodeId = response.ErrorCode == 0 ? node.Id : -1,
                Host = response.ErrorCode == 0 ? cluster.Options.Host : "",
                Port = response.ErrorCode == 0 ? node.EndPoint.Port : -1,
                ErrorCode = response.ErrorCode,
                ErrorMessage = response.ErrorMessage,
            });
        }

        response.ErrorCode = 0;
        response.ErrorMessage = null;
        return ValueTask.FromResult<FindCoordinatorResponse?>(response);
    }
}
