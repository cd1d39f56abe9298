using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Adds WRITE aliases (by backing name) to the zone's namespaced transaction; others are refused
/// here, and then, as with Kafka, nothing of the request is added. The broker-to-broker form (v4+) is
/// refused as a whole.</summary>
internal sealed class AddPartitionsToTxnHandler : ZoneHandler<AddPartitionsToTxnRequest>
{
    /// <summary>v4 and later are the batched form partition leaders send to transaction coordinators to
    /// verify transactions (KIP-890); clients use v0-3.</summary>
    private const short FirstBrokerVersion = 4;

    public override string Served => "forwarded, transactional id namespaced, WRITE aliases named by their backing topics";

    public override string Refusal => "READ aliases: TOPIC_AUTHORIZATION_FAILED; names outside the zone: UNKNOWN_TOPIC_OR_PARTITION; the rest of such a request: OPERATION_NOT_ATTEMPTED; the broker form (v4+): CLUSTER_AUTHORIZATION_FAILED";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, AddPartitionsToTxnRequest request, CancellationToken cancellationToken)
    {
        if (header.ApiVersion >= FirstBrokerVersion)
        {
            // Kafka requires CLUSTER_ACTION for the broker form and answers anyone else with a top-level
            // CLUSTER_AUTHORIZATION_FAILED and no per-transaction results; so does the gateway.
            return ZoneContext.Local(header, new AddPartitionsToTxnResponse { ErrorCode = ErrorCodes.ClusterAuthorizationFailed });
        }

        var refused = new List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult>();
        var forward = new List<(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic Data, ZoneTopic Topic)>();
        foreach (var topic in request.V3AndBelowTopics)
        {
            var alias = context.Alias(topic.Name);
            if (alias is { CanWrite: true })
            {
                forward.Add((topic, alias));
                continue;
            }

            refused.Add(new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult
            {
                Name = topic.Name,
                ResultsByPartition = [.. topic.Partitions.Select(p => new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult
                {
                    PartitionIndex = p,
                    PartitionErrorCode = alias is null ? ErrorCodes.UnknownTopicOrPartition : ErrorCodes.TopicAuthorizationFailed,
                })],
            });
        }

        var merged = new AddPartitionsToTxnResponse();
        if (refused.Count > 0 || forward.Count == 0)
        {
            // Kafka answers a request with any bad partition without adding the others (OPERATION_NOT_ATTEMPTED).
            merged.ResultsByTopicV3AndBelow = [.. refused, .. forward.Select(f => new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult
            {
                Name = f.Data.Name,
                ResultsByPartition = [.. f.Data.Partitions.Select(p => new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult { PartitionIndex = p, PartitionErrorCode = ErrorCodes.OperationNotAttempted })],
            })];
            return ZoneContext.Local(header, merged);
        }

        foreach (var round in Rounds.ByBacking(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new AddPartitionsToTxnRequest
            {
                V3AndBelowTransactionalId = context.Zone.Namespaced(request.V3AndBelowTransactionalId),
                V3AndBelowProducerId = request.V3AndBelowProducerId,
                V3AndBelowProducerEpoch = request.V3AndBelowProducerEpoch,
                V3AndBelowTopics = [.. round.Select(f => new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await context.SendAsync<AddPartitionsToTxnResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                for (var i = 0; i < round.Count && i < response.ResultsByTopicV3AndBelow.Count; i++)
                {
                    response.ResultsByTopicV3AndBelow[i].Name = round[i].Data.Name;
                    merged.ResultsByTopicV3AndBelow.Add(response.ResultsByTopicV3AndBelow[i]);
                }

                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
            }
        }

        return ZoneContext.Local(header, merged);
    }
}
