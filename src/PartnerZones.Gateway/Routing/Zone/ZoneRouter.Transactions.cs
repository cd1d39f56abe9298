using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    private bool ZoneCanWrite => Zone.Topics.Any(t => t.CanWrite);

    /// <summary>Producer ids are for producing: a zone with no WRITE alias gets an authorization error.
    /// Transactional ids are namespaced like group ids.</summary>
    private Task<byte[]?> InitProducerIdAsync(RequestHeader header, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        if (!ZoneCanWrite)
        {
            var code = request.TransactionalId is null ? ClusterAuthorizationFailed : TransactionalIdAuthorizationFailed;
            return Task.FromResult<byte[]?>(Local(header, new InitProducerIdResponse { ErrorCode = code, ProducerId = -1, ProducerEpoch = -1 }));
        }

        request.TransactionalId = request.TransactionalId is null ? null : Zone.Namespaced(request.TransactionalId);
        return ForwardAsync<InitProducerIdResponse>(header, request, _ => { }, cancellationToken);
    }

    /// <summary>Adds WRITE aliases (by backing name) to the transaction; others are refused here.
    /// Only the client form (v0-3) is offered.</summary>
    private async Task<byte[]?> AddPartitionsToTxnAsync(RequestHeader header, AddPartitionsToTxnRequest request, CancellationToken cancellationToken)
    {
        var refused = new List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult>();
        var forward = new List<(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic Data, Policy.ZoneTopic Topic)>();
        foreach (var topic in request.V3AndBelowTopics)
        {
            var alias = Alias(topic.Name);
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
                    PartitionErrorCode = alias is null ? UnknownTopicOrPartition : TopicAuthorizationFailed,
                })],
            });
        }

        var merged = new AddPartitionsToTxnResponse();
        if (refused.Count > 0 || forward.Count == 0)
        {
            // Kafka answers a request with any bad partition without adding the others (OPERATION_NOT_ATTEMPTED).
            const short OperationNotAttempted = 55;
            merged.ResultsByTopicV3AndBelow = [.. refused, .. forward.Select(f => new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult
            {
                Name = f.Data.Name,
                ResultsByPartition = [.. f.Data.Partitions.Select(p => new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult { PartitionIndex = p, PartitionErrorCode = OperationNotAttempted })],
            })];
            return Local(header, merged);
        }

        foreach (var round in Rounds(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new AddPartitionsToTxnRequest
            {
                V3AndBelowTransactionalId = Zone.Namespaced(request.V3AndBelowTransactionalId),
                V3AndBelowProducerId = request.V3AndBelowProducerId,
                V3AndBelowProducerEpoch = request.V3AndBelowProducerEpoch,
                V3AndBelowTopics = [.. round.Select(f => new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await SendAsync<AddPartitionsToTxnResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
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

        return Local(header, merged);
    }

    private Task<byte[]?> AddOffsetsToTxnAsync(RequestHeader header, AddOffsetsToTxnRequest request, CancellationToken cancellationToken)
    {
        request.TransactionalId = Zone.Namespaced(request.TransactionalId);
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<AddOffsetsToTxnResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<byte[]?> EndTxnAsync(RequestHeader header, EndTxnRequest request, CancellationToken cancellationToken)
    {
        request.TransactionalId = Zone.Namespaced(request.TransactionalId);
        return ForwardAsync<EndTxnResponse>(header, request, _ => { }, cancellationToken);
    }

    /// <summary>Transactional commits go into the zone's group, so only primary aliases may take part
    /// (<see cref="AliasOffsets"/>): another alias's partitions get TOPIC_AUTHORIZATION_FAILED (an error
    /// clients treat as abortable, not fatal) and nothing of them is written, never its offsets under the
    /// wrong alias. Names outside the zone get UNKNOWN_TOPIC_OR_PARTITION.</summary>
    private async Task<byte[]?> TxnOffsetCommitAsync(RequestHeader header, TxnOffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var zone = Zone;
        var refused = new HashSet<TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic>(
            request.Topics.Where(t => Alias(t.Name) is { } topic && !AliasOffsets.IsPrimary(zone, topic)));
        var forward = request.Topics.Where(t => !refused.Contains(t)).Select(t => (Data: t, Topic: Alias(t.Name))).Where(x => x.Topic is not null).Select(x => (x.Data, Topic: x.Topic!)).ToList();
        var results = new Dictionary<TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic, TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic>();
        var merged = new TxnOffsetCommitResponse();
        foreach (var round in Rounds(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new TxnOffsetCommitRequest
            {
                TransactionalId = Zone.Namespaced(request.TransactionalId),
                GroupId = Zone.Namespaced(request.GroupId),
                ProducerId = request.ProducerId,
                ProducerEpoch = request.ProducerEpoch,
                GenerationId = request.GenerationId,
                MemberId = request.MemberId,
                GroupInstanceId = request.GroupInstanceId,
                Topics = [.. round.Select(f => new TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await SendAsync<TxnOffsetCommitResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                for (var i = 0; i < round.Count && i < response.Topics.Count; i++)
                {
                    response.Topics[i].Name = round[i].Data.Name;
                    results[round[i].Data] = response.Topics[i];
                }
            }
        }

        foreach (var data in request.Topics)
        {
            merged.Topics.Add(results.TryGetValue(data, out var found)
                ? found
                : new TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic
                {
                    Name = data.Name,
                    Partitions = [.. data.Partitions.Select(p => new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition
                    {
                        PartitionIndex = p.PartitionIndex,
                        ErrorCode = refused.Contains(data) ? TopicAuthorizationFailed : UnknownTopicOrPartition,
                    })],
                });
        }

        return Local(header, merged);
    }
}
