using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// The zone's own transactions: every transactional id a partner names is its own (namespaced upstream,
/// given back without the prefix), so no other zone's or the backing cluster's transaction can be
/// described. The topics of a transaction are shown as the zone's WRITE aliases of each backing topic
/// (only those can be in a partner's transaction); a backing topic the zone has no alias for is left
/// out, as Kafka leaves out topics the principal may not describe. A zone without a WRITE alias has no
/// transactions: TRANSACTIONAL_ID_AUTHORIZATION_FAILED, as for its InitProducerId.
/// </summary>
internal sealed class DescribeTransactionsHandler : ZoneHandler<DescribeTransactionsRequest>
{
    public override string Served => "filtered to the zone: its own transactional ids, topics shown as its WRITE aliases";

    public override string Refusal =>
        "zone without a WRITE alias: TRANSACTIONAL_ID_AUTHORIZATION_FAILED; other zones' and the cluster's transactions are unreachable (every transactional id is the zone's own); topics outside the zone are left out";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, DescribeTransactionsRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        if (!zone.Topics.Any(t => t.CanWrite))
        {
            return Task.FromResult<OutgoingFrame?>(ZoneContext.Local(header, new DescribeTransactionsResponse
            {
                TransactionStates = [.. request.TransactionalIds.Select(id => new DescribeTransactionsResponse.TransactionStateData
                {
                    TransactionalId = id,
                    ErrorCode = ErrorCodes.TransactionalIdAuthorizationFailed,
                    ProducerId = -1,
                    ProducerEpoch = -1,
                })],
            }));
        }

        var asked = request.TransactionalIds;
        var upstreamRequest = new DescribeTransactionsRequest { TransactionalIds = [.. asked.Select(zone.Namespaced)] };
        return context.ForwardAsync<DescribeTransactionsResponse>(header, upstreamRequest, response =>
        {
            for (var i = 0; i < response.TransactionStates.Count; i++)
            {
                var state = response.TransactionStates[i];
                state.TransactionalId = zone.Strip(state.TransactionalId) ?? (i < asked.Count ? asked[i] : "");
                state.Topics = [.. state.Topics.SelectMany(t => zone.ByBacking.TryGetValue(t.Topic, out var aliases)
                    ? aliases.Where(a => a.CanWrite).Select(a => new DescribeTransactionsResponse.TopicData { Topic = a.Alias, Partitions = t.Partitions })
                    : [])];
            }
        }, cancellationToken);
    }
}
