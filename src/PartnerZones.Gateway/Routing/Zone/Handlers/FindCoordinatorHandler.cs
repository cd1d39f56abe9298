using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Group and transactional ids are looked up under the zone's prefix; the answer's keys are
/// given back without it and its addresses are the gateway's.</summary>
internal sealed class FindCoordinatorHandler : ZoneHandler<FindCoordinatorRequest>
{
    private const sbyte GroupKey = 0;
    private const sbyte TransactionKey = 1;

    public override string Served => "forwarded, keys namespaced; addresses are the gateway's";

    public override string Refusal => "key types other than group and transaction (share groups): INVALID_REQUEST";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        if (request.KeyType is not (GroupKey or TransactionKey))
        {
            // Share-group and other key types are not part of a zone.
            var refused = new FindCoordinatorResponse { ErrorCode = ErrorCodes.InvalidRequest, ErrorMessage = "Only group and transaction coordinators can be looked up through a partner zone." };
            foreach (var key in request.CoordinatorKeys)
            {
                refused.Coordinators.Add(new FindCoordinatorResponse.Coordinator { Key = key, NodeId = -1, Port = -1, ErrorCode = ErrorCodes.InvalidRequest, ErrorMessage = refused.ErrorMessage });
            }

            return Task.FromResult<OutgoingFrame?>(ZoneContext.Local(header, refused));
        }

        request.CoordinatorKey = zone.Namespaced(request.CoordinatorKey);
        request.CoordinatorKeys = [.. request.CoordinatorKeys.Select(zone.Namespaced)];
        var runtime = context.Runtime;
        return context.ForwardAsync<FindCoordinatorResponse>(header, request, response =>
        {
            AddressRewriter.Rewrite(runtime, response);
            foreach (var coordinator in response.Coordinators)
            {
                coordinator.Key = zone.Strip(coordinator.Key) ?? coordinator.Key;
            }
        }, cancellationToken);
    }
}
