using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Transactional commits go where each alias keeps its offsets (<see cref="AliasOffsets"/>), as with
/// OffsetCommit: primary aliases into the zone's group as the client sent them; another alias into
/// its shadow group, which is first added to the transaction (AddOffsetsToTxn with the same producer
/// id and epoch, so the transaction's end commits or aborts those offsets too) and written without a
/// generation once the member is accepted by the zone's group. Names outside the zone get
/// UNKNOWN_TOPIC_OR_PARTITION.
/// </summary>
internal sealed class TxnOffsetCommitHandler : ZoneHandler<TxnOffsetCommitRequest>
{
    public override string Served => "forwarded, ids namespaced, each alias committed where its offsets live (a shadow group joins the transaction first)";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, TxnOffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var primary = new List<(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic Data, ZoneTopic Topic)>();
        var shadowed = new List<(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic Data, ZoneTopic Topic)>();
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
        foreach (var round in Rounds.ByBacking(primary, f => f.Topic.Backing))
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
            var (response, frame) = await context.SendAsync<TxnOffsetCommitResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                Collect(round, response, results, merged);
            }
        }

        if (shadowed.Count > 0)
        {
            var fence = await CommitFence.CheckAsync(
                context, header, request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId,
                primary.SelectMany(p => results.TryGetValue(p.Data, out var answered) ? answered.Partitions.Select(a => a.ErrorCode) : []),
                shadowed.SelectMany(s => s.Data.Partitions.Select(p => (s.Topic.Backing, p.PartitionIndex))),
                cancellationToken).ConfigureAwait(false);
            foreach (var byAlias in shadowed.GroupBy(s => s.Topic.Alias, StringComparer.Ordinal))
            {
                var groupId = AliasOffsets.ShadowGroup(zone, byAlias.First().Topic, request.GroupId);
                var error = fence != 0 ? fence : await AddToTransactionAsync(context, header, transactionalId, request, groupId, cancellationToken).ConfigureAwait(false);
                foreach (var round in Rounds.ByBacking(byAlias, s => s.Topic.Backing))
                {
                    var (response, failed) = error != 0
                        ? (null, error)
                        : await context.Coordinators.SendAsync<TxnOffsetCommitResponse>(
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
                            r => r.Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).FirstOrDefault(GroupErrors.IsMovedCoordinator),
                            cancellationToken).ConfigureAwait(false);
                    if (response is null)
                    {
                        foreach (var (data, _) in round)
                        {
                            results[data] = Failed(data, failed);
                        }

                        continue;
                    }

                    Collect(round, response, results, merged);
                }
            }
        }

        foreach (var data in request.Topics)
        {
            merged.Topics.Add(results.TryGetValue(data, out var found) ? found : Failed(data, ErrorCodes.UnknownTopicOrPartition));
        }

        return ZoneContext.Local(header, merged);
    }

    /// <summary>Adds a shadow group to the partner's transaction at the transaction coordinator: 0, or its error.</summary>
    private static async Task<short> AddToTransactionAsync(ZoneContext context, RequestHeader header, string transactionalId, TxnOffsetCommitRequest request, string groupId, CancellationToken cancellationToken)
    {
        var version = context.Coordinators.Version(AddOffsetsToTxnRequest.Key, AddOffsetsToTxnRequest.HighestVersion);
        var (response, error) = await context.Coordinators.SendAsync<AddOffsetsToTxnResponse>(
            transactionalId,
            new AddOffsetsToTxnRequest { TransactionalId = transactionalId, ProducerId = request.ProducerId, ProducerEpoch = request.ProducerEpoch, GroupId = groupId },
            version,
            header.ClientId,
            r => r.ErrorCode,
            cancellationToken,
            CoordinatorLinks.TransactionKey).ConfigureAwait(false);
        return response?.ErrorCode ?? error;
    }

    private static void Collect(
        List<(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic Data, ZoneTopic Topic)> round,
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

    private static TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic Failed(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic data, short error) => new()
    {
        Name = data.Name,
        Partitions = [.. data.Partitions.Select(p => new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = error })],
    };
}
