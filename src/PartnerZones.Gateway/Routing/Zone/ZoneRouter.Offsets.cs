using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    private const short IllegalGeneration = 22;
    private const short InvalidGroupId = 24;
    private const short UnknownMemberId = 25;
    private const short RebalanceInProgress = 27;
    private const short GroupIdNotFound = 69;
    private const short FencedInstanceId = 82;
    private const short FencedMemberEpoch = 110;
    private const short StaleMemberEpoch = 113;
    private const short InvalidProducerEpoch = 47;
    private const short InvalidProducerIdMapping = 49;
    private const short ProducerFenced = 90;

    /// <summary>
    /// Commits each alias where its offsets live (<see cref="AliasOffsets"/>): primary aliases into the
    /// zone's group under the backing names, other aliases into their shadow groups. Shadow groups never
    /// have members, so their commits carry no generation; they are written only once the member's
    /// generation has been accepted by the zone's group (by the primary part of this same commit, or by a
    /// heartbeat when there is none). Aliases outside the zone get UNKNOWN_TOPIC_OR_PARTITION.
    /// </summary>
    private async Task<OutgoingFrame?> OffsetCommitAsync(RequestHeader header, OffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var zone = Zone;
        var primary = new List<(OffsetCommitRequest.OffsetCommitRequestTopic Data, ZoneTopic Topic)>();
        var shadowed = new List<(OffsetCommitRequest.OffsetCommitRequestTopic Data, ZoneTopic Topic)>();
        foreach (var data in request.Topics)
        {
            if (zone.ByAlias.TryGetValue(data.Name, out var topic))
            {
                (AliasOffsets.IsPrimary(zone, topic) ? primary : shadowed).Add((data, topic));
            }
        }

        var results = new Dictionary<OffsetCommitRequest.OffsetCommitRequestTopic, OffsetCommitResponse.OffsetCommitResponseTopic>();
        var merged = new OffsetCommitResponse();
        foreach (var round in Rounds(primary, f => f.Topic.Backing))
        {
            var upstreamRequest = new OffsetCommitRequest
            {
                GroupId = zone.Namespaced(request.GroupId),
                GenerationIdOrMemberEpoch = request.GenerationIdOrMemberEpoch,
                MemberId = request.MemberId,
                GroupInstanceId = request.GroupInstanceId,
                RetentionTimeMs = request.RetentionTimeMs,
                Topics = [.. round.Select(f => new OffsetCommitRequest.OffsetCommitRequestTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await SendAsync<OffsetCommitResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                Collect(round, response.Topics, results);
                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
            }
        }

        if (shadowed.Count > 0)
        {
            var fence = await CommitFenceAsync(
                header, request.GroupId, request.GenerationIdOrMemberEpoch, request.MemberId, request.GroupInstanceId,
                primary.SelectMany(p => results.TryGetValue(p.Data, out var answered) ? answered.Partitions.Select(a => a.ErrorCode) : []),
                cancellationToken).ConfigureAwait(false);
            foreach (var byAlias in shadowed.GroupBy(s => s.Topic.Alias, StringComparer.Ordinal))
            {
                var groupId = AliasOffsets.ShadowGroup(zone, byAlias.First().Topic, request.GroupId);
                foreach (var round in Rounds(byAlias, s => s.Topic.Backing))
                {
                    var (response, error) = fence != 0
                        ? (null, fence)
                        : await _coordinators.SendAsync<OffsetCommitResponse>(
                            groupId,
                            new OffsetCommitRequest
                            {
                                GroupId = groupId,
                                GenerationIdOrMemberEpoch = -1,
                                MemberId = "",
                                RetentionTimeMs = request.RetentionTimeMs,
                                Topics = [.. round.Select(f => new OffsetCommitRequest.OffsetCommitRequestTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
                            },
                            header.ApiVersion,
                            header.ClientId,
                            r => r.Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).FirstOrDefault(c => c is CoordinatorLinks.NotCoordinator or CoordinatorLinks.CoordinatorNotAvailable),
                            cancellationToken).ConfigureAwait(false);
                    if (response is null)
                    {
                        foreach (var (data, _) in round)
                        {
                            results[data] = CommitFailed(data, error);
                        }

                        continue;
                    }

                    Collect(round, response.Topics, results);
                    merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
                }
            }
        }

        foreach (var data in request.Topics)
        {
            merged.Topics.Add(results.TryGetValue(data, out var found) ? found : CommitFailed(data, UnknownTopicOrPartition));
        }

        return Local(header, merged);
    }

    private static void Collect(
        List<(OffsetCommitRequest.OffsetCommitRequestTopic Data, ZoneTopic Topic)> round,
        List<OffsetCommitResponse.OffsetCommitResponseTopic> answered,
        Dictionary<OffsetCommitRequest.OffsetCommitRequestTopic, OffsetCommitResponse.OffsetCommitResponseTopic> results)
    {
        for (var i = 0; i < round.Count && i < answered.Count; i++)
        {
            answered[i].Name = round[i].Data.Name;
            results[round[i].Data] = answered[i];
        }
    }

    private static OffsetCommitResponse.OffsetCommitResponseTopic CommitFailed(OffsetCommitRequest.OffsetCommitRequestTopic data, short error) => new()
    {
        Name = data.Name,
        Partitions = [.. data.Partitions.Select(p => new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = error })],
    };

    /// <summary>
    /// Whether the committing member may write its shadow offsets: 0, or the error the zone's group gave.
    /// A standalone commit (no generation, no member) has nothing to check, as for any group without
    /// members. Otherwise a partition of the primary part accepted settles it, and a group error there
    /// refuses it; with no primary part (or only partition errors) a heartbeat with the member's
    /// coordinates asks the group. REBALANCE_IN_PROGRESS passes: the member and generation were valid,
    /// and Kafka accepts the current generation's commits while members rejoin.
    /// </summary>
    private async Task<short> CommitFenceAsync(
        RequestHeader header, string group, int generation, string memberId, string? groupInstanceId, IEnumerable<short> primaryCodes, CancellationToken cancellationToken)
    {
        if (generation < 0 && memberId.Length == 0 && groupInstanceId is null)
        {
            return 0;
        }

        var codes = primaryCodes.ToList();
        if (codes.Contains((short)0))
        {
            return 0;
        }

        if (codes.FirstOrDefault(IsGroupError) is var groupError and not 0)
        {
            return groupError;
        }

        var version = _coordinators.Version(HeartbeatRequest.Key, HeartbeatRequest.HighestVersion);
        var heartbeat = new HeartbeatRequest
        {
            GroupId = Zone.Namespaced(group),
            GenerationId = generation,
            MemberId = memberId,
            GroupInstanceId = version >= 3 ? groupInstanceId : null,
        };
        var connection = await upstream.GetAsync(cancellationToken).ConfigureAwait(false);
        var answer = await connection.SendAsync<HeartbeatResponse>(heartbeat, version, header.ClientId, cancellationToken).ConfigureAwait(false);
        return answer.ErrorCode is 0 or RebalanceInProgress ? (short)0 : answer.ErrorCode;
    }

    /// <summary>Errors about the group, the member or (for transactional commits) the producer rather
    /// than one partition.</summary>
    private static bool IsGroupError(short code) => code is CoordinatorLinks.CoordinatorLoadInProgress or CoordinatorLinks.CoordinatorNotAvailable
        or CoordinatorLinks.NotCoordinator or IllegalGeneration or InvalidGroupId or UnknownMemberId or RebalanceInProgress
        or GroupAuthorizationFailed or GroupIdNotFound or FencedInstanceId or FencedMemberEpoch or StaleMemberEpoch
        or InvalidProducerEpoch or InvalidProducerIdMapping or TransactionalIdAuthorizationFailed or ProducerFenced;
}
