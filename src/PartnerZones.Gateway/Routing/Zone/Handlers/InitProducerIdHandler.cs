using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Producer ids are for producing: a zone with no WRITE alias gets an authorization error.
/// Transactional ids are namespaced like group ids.</summary>
internal sealed class InitProducerIdHandler : ZoneHandler<InitProducerIdRequest>
{
    public override short HighestVersion => 5;

    public override string Refusal => "zone without a WRITE alias: CLUSTER_AUTHORIZATION_FAILED (idempotent) or TRANSACTIONAL_ID_AUTHORIZATION_FAILED (transactional)";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        if (!zone.Topics.Any(t => t.CanWrite))
        {
            var code = request.TransactionalId is null ? ErrorCodes.ClusterAuthorizationFailed : ErrorCodes.TransactionalIdAuthorizationFailed;
            return Task.FromResult<OutgoingFrame?>(ZoneContext.Local(header, new InitProducerIdResponse { ErrorCode = code, ProducerId = -1, ProducerEpoch = -1 }));
        }

        request.TransactionalId = request.TransactionalId is null ? null : zone.Namespaced(request.TransactionalId);
        return context.ForwardAsync<InitProducerIdResponse>(header, request, _ => { }, cancellationToken);
    }
}
