using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    private bool ZoneCanWrite => Zone.Topics.Any(t => t.CanWrite);

    /// <summary>Producer ids are for producing: a zone with no WRITE alias gets an authorization error.
    /// Transactional ids are namespaced like group ids.</summary>
    private Task<OutgoingFrame?> InitProducerIdAsync(RequestHeader header, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        if (!ZoneCanWrite)
        {
            var code = request.TransactionalId is null ? ClusterAuthorizationFailed : TransactionalIdAuthorizationFailed;
            return Task.FromResult<OutgoingFrame?>(Local(header, new InitProducerIdResponse { ErrorCode = code, ProducerId = -1, ProducerEpoch = -1 }));
        }

        request.TransactionalId = request.TransactionalId is null ? null : Zone.Namespaced(request.TransactionalId);
        return ForwardAsync<InitProducerIdResponse>(header, request, _ => { }, cancellationToken);
    }

    /// <summary>Adds WRITE aliases (by backing name) to the transaction; others are refused here.
    /// Only the client form (v0-3) is offered.</summary>
    private async Task<OutgoingFrame?> AddPartitionsToTxnAsync(RequestHeader header, AddPartitionsToTxnRequest request, CancellationToken cancellationToken)
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

    private Task<OutgoingFrame?> AddOffsetsToTxnAsync(RequestHeader header, AddOffsetsToTxnRequest request, CancellationToken cancellationToken)
    {
        request.TransactionalId = Zone.Namespaced(request.TransactionalId);
        request.GroupId = Zone.Namespaced(request.GroupId);
        return ForwardAsync<AddOffsetsToTxnResponse>(header, request, _ => { }, cancellationToken);
    }

    private Task<OutgoingFrame?> EndTxnAsync(RequestHeader header, EndTxnRequest request, CancellationToken cancellationToken)
    {
        request.TransactionalId = Zone.Namespaced(request.TransactionalId);
        return ForwardAsync<EndTxnResponse>(header, request, _ => { }, cancellationToken);
    }

    /// <summary>
    /// Transactional commits go where each alias keeps its offsets (<see cref="AliasOffsets"/>), as with
    /// OffsetCommit: primary aliases into the zone's group as the client sent them; another alias into
    /// its shadow group, which is first added to the transaction (AddOffsetsToTxn with the same producer
    /// id and epoch, so the transaction's end commits or aborts those offsets too) and written without a
    /// generation once the member is accepted by the zone's group. Names outside the zone get
    /// UNKNOWN_TOPIC_OR_PARTITION.
    /// </summary>
    private async Task<OutgoingFrame?> TxnOffsetCommitAsync(RequestHeader header, TxnOffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var zone = Zone;
        var primary = new List<(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic Data, Policy.ZoneTopic Topic)>();
        var shadowed = new List<(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic Data, Policy.ZoneTopic Topic)>();
        foreach (var data in request.Topics)
        {
            if (zone.ByAlias.TryGetValue(data.Name, out var topic))
            {
                (AliasOffsets.IsPrimary(zone, topic) ? primary : shadowed).Add((data, topic));
            }
        }

        var transactionalId = zone.Namespaced(request.TransactionalId);
        var results = new Dictionary<TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic, TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic>();
        var merged = new TxnOffsetCommitResponse();
        foreach (var round in Rounds(primary, f => f.Topic.Backing))
        {
            var upstreamRequest = new TxnOffsetCommitRequest
            {
                TransactionalId = transactionalId,
                GroupId = zone.Namespaced(request.GroupId),
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
                CollectTxn(round, response, results, merged);
            }
        }

        if (shadowed.Count > 0)
        {
            var fence = await CommitFenceAsync(
                header, request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId,
                primary.SelectMany(p => results.TryGetValue(p.Data, out var answered) ? answered.Partitions.Select(a => a.ErrorCode) : []),
                cancellationToken).ConfigureAwait(false);
            foreach (var byAlias in shadowed.GroupBy(s => s.Topic.Alias, StringComparer.Ordinal))
            {
                var groupId = AliasOffsets.ShadowGroup(zone, byAlias.First().Topic, request.GroupId);
                var error = fence != 0 ? fence : await AddToTransactionAsync(header, transactionalId, request, groupId, cancellationToken).ConfigureAwait(false);
                foreach (var round in Rounds(byAlias, s => s.Topic.Backing))
                {
                    var (response, failed) = error != 0
                        ? (null, error)
                        : await _coordinators.SendAsync<TxnOffsetCommitResponse>(
                            groupId,
                            new TxnOffsetCommitRequest
                            {
                                TransactionalId = transactionalId,
                                GroupId = groupId,
                                ProducerId = request.ProducerId,
                                ProducerEpoch = request.ProducerEpoch,
                                GenerationId = -1,
                                MemberId = "",
                                Topics = [.. round.Select(f => new TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
                            },
                            header.ApiVersion,
                            header.ClientId,
                            r => r.Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).FirstOrDefault(c => c is CoordinatorLinks.NotCoordinator or CoordinatorLinks.CoordinatorNotAvailable),
                            cancellationToken).ConfigureAwait(false);
                    if (response is null)
                    {
                        foreach (var (data, _) in round)
                        {
                            results[data] = TxnCommitFailed(data, failed);
                        }

                        continue;
                    }

                    CollectTxn(round, response, results, merged);
                }
            }
        }

        foreach (var data in request.Topics)
        {
            merged.Topics.Add(results.TryGetValue(data, out var found) ? found : TxnCommitFailed(data, UnknownTopicOrPartition));
        }

        return Local(header, merged);
    }

    /// <summary>Adds a shadow group to the partner's transaction at the transaction coordinator: 0, or its error.</summary>
    private async Task<short> AddToTransactionAsync(RequestHeader header, string transactionalId, TxnOffsetCommitRequest request, string groupId, CancellationToken cancellationToken)
    {
        var version = _coordinators.Version(AddOffsetsToTxnRequest.Key, AddOffsetsToTxnRequest.HighestVersion);
        var (response, error) = await _coordinators.SendAsync<AddOffsetsToTxnResponse>(
            transactionalId,
            new AddOffsetsToTxnRequest { TransactionalId = transactionalId, ProducerId = request.ProducerId, ProducerEpoch = request.ProducerEpoch, GroupId = groupId },
            version,
            header.ClientId,
            r => r.ErrorCode,
            cancellationToken,
            CoordinatorLinks.TransactionKey).ConfigureAwait(false);
        return response?.ErrorCode ?? error;
    }

    private static void CollectTxn(
        List<(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic Data, Policy.ZoneTopic Topic)> round,
        TxnOffsetCommitResponse response,
        Dictionary<TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic, TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic> results,
        TxnOffsetCommitResponse merged)
    {
        for (var i = 0; i < round.Count && i < response.Topics.Count; i++)
        {
            response.Topics[i].Name = round[i].Data.Name;
            results[round[i].Data] = response.Topics[i];
        }

        merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
    }

    private static TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic TxnCommitFailed(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic data, short error) => new()
    {
        Name = data.Name,
        Partitions = [.. data.Partitions.Select(p => new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = error })],
    };
}
