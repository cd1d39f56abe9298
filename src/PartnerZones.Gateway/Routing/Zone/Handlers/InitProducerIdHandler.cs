using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Producer ids are for producing: a zone with no WRITE alias gets an authorization error.
/// Transactional ids are namespaced like group ids. Two-phase commit (v6) is not granted to partners.</summary>
internal sealed class InitProducerIdHandler : ZoneHandler<InitProducerIdRequest>
{
    public override string Served => "forwarded, transactional id namespaced";

    public override string Refusal => "zone without a WRITE alias: CLUSTER_AUTHORIZATION_FAILED (idempotent) or TRANSACTIONAL_ID_AUTHORIZATION_FAILED (transactional); two-phase commit (v6): TRANSACTIONAL_ID_AUTHORIZATION_FAILED";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        if (!zone.Topics.Any(t => t.CanWrite))
        {
            var code = request.TransactionalId is null ? ErrorCodes.ClusterAuthorizationFailed : ErrorCodes.TransactionalIdAuthorizationFailed;
            return Task.FromResult<OutgoingFrame?>(ZoneContext.Local(header, new InitProducerIdResponse { ErrorCode = code, ProducerId = -1, ProducerEpoch = -1 }));
        }

        if (request.Enable2Pc || request.KeepPreparedTxn)
        {
            // Two-phase commit (KIP-939) lets a transaction stay prepared for as long as an external
            // coordinator wants, holding back the last stable offset of the backing topic for every reader
            // of the cluster. Kafka grants it per transactional id (the TWO_PHASE_COMMIT operation); the
            // gateway never grants it to a partner, and answers as Kafka answers a client without it.
            return Task.FromResult<OutgoingFrame?>(ZoneContext.Local(header, new InitProducerIdResponse
            {
                ErrorCode = ErrorCodes.TransactionalIdAuthorizationFailed,
                ProducerId = -1,
                ProducerEpoch = -1,
            }));
        }

        request.TransactionalId = request.TransactionalId is null ? null : zone.Namespaced(request.TransactionalId);
        return context.ForwardAsync<InitProducerIdResponse>(header, request, _ => { }, cancellationToken);
    }
}
