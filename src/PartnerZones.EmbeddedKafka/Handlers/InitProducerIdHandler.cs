using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// Hands out producer ids. Without a transactional id any node answers with a fresh id at epoch 0 (an
/// idempotent producer); with one, only the id's coordinator answers, bumping the epoch and so fencing
/// older producers of that id. PRODUCER_FENCED exists from v4; older versions get INVALID_PRODUCER_EPOCH.
/// </summary>
internal sealed class InitProducerIdHandler : ApiHandler<InitProducerIdRequest, InitProducerIdResponse>
{
    // Kafka 4.0 serves 0-5; v6 asks for two-phase commit (KIP-939), which this cluster does not offer.
    public override short HighestVersion => 5;

    protected override ValueTask<InitProducerIdResponse?> HandleAsync(RequestContext context, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Node.Cluster;
        var transactions = cluster.Transactions;
        var response = new InitProducerIdResponse { ProducerId = -1, ProducerEpoch = -1 };

        // v3+ names the current producer to bump its epoch; both fields or neither.
        if ((request.ProducerId == -1) != (request.ProducerEpoch == -1))
        {
            response.ErrorCode = ErrorCodes.InvalidRequest;
            return ValueTask.FromResult<InitProducerIdResponse?>(response);
        }

        var id = request.TransactionalId;
        if (id is null)
        {
            response.ProducerId = transactions.NewProducerId();
            response.ProducerEpoch = 0;
            return ValueTask.FromResult<InitProducerIdResponse?>(response);
        }

        short error;
        if (id.Length == 0)
        {
            error = ErrorCodes.InvalidRequest;
        }
        else if (!transactions.IsValidTimeout(request.TransactionTimeoutMs))
        {
            error = ErrorCodes.InvalidTransactionTimeout;
        }
        else if (cluster.Groups.CoordinatorFor(id) != context.Node.Id)
        {
            error = ErrorCodes.NotCoordinator;
        }
        else
        {
            var result = transactions.InitProducerId(id, request.TransactionTimeoutMs, request.ProducerId, request.ProducerEpoch);
            error = result.ErrorCode;
            response.ProducerId = result.ProducerId;
            response.ProducerEpoch = result.ProducerEpoch;
        }

        response.ErrorCode = error == ErrorCodes.ProducerFenced && context.Version < 4 ? ErrorCodes.InvalidProducerEpoch : error;
        return ValueTask.FromResult<InitProducerIdResponse?>(response);
    }
}
