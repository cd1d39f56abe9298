using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Commits each alias where its offsets live (<see cref="AliasOffsets"/>): primary aliases into the
/// zone's group under the backing names, other aliases into their shadow groups. Shadow groups never
/// have members, so their commits carry no generation; they are written only once the member's
/// generation has been accepted by the zone's group (<see cref="CommitFence"/>). Aliases outside the
/// zone get UNKNOWN_TOPIC_OR_PARTITION; from v10, which names topics by id, the partner's virtual ids
/// become the backing topics' real ids upstream and ids outside the zone get UNKNOWN_TOPIC_ID.
/// </summary>
internal sealed class OffsetCommitHandler : ZoneHandler<OffsetCommitRequest>
{
    public override string Served => "forwarded, group id namespaced, each alias committed where its offsets live (the group or a shadow group)";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION; ids outside the zone (v10): UNKNOWN_TOPIC_ID";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, OffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var ids = context.Runtime.TopicIds;
        // v10 names topics by id: the partner's virtual ids, the backing topics' real ids upstream.
        var byId = header.ApiVersion >= 10;
        if (byId)
        {
            await BackingTopicIds.LearnAsync(context, header.ClientId, request.Topics.Select(t => zone.ByVirtualId.GetValueOrDefault(t.TopicId)).OfType<ZoneTopic>().Select(t => t.Backing), cancellationToken).ConfigureAwait(false);
        }

        var primary = new List<(OffsetCommitRequest.OffsetCommitRequestTopic Data, ZoneTopic Topic)>();
        var shadowed = new List<(OffsetCommitRequest.OffsetCommitRequestTopic Data, ZoneTopic Topic)>();
        foreach (var data in request.Topics)
        {
            var topic = byId ? zone.ByVirtualId.GetValueOrDefault(data.TopicId) : zone.ByAlias.GetValueOrDefault(data.Name);
            if (topic is not null && (!byId || ids.IdOf(topic.Backing) is not null))
            {
                (AliasOffsets.IsPrimary(zone, topic) ? primary : shadowed).Add((data, topic));
            }
        }

        var results = new Dictionary<OffsetCommitRequest.OffsetCommitRequestTopic, OffsetCommitResponse.OffsetCommitResponseTopic>();
        var merged = new OffsetCommitResponse();
        foreach (var round in Rounds.ByBacking(primary, f => f.Topic.Backing))
        {
            var upstreamRequest = new OffsetCommitRequest
            {
                GroupId = zone.Namespaced(request.GroupId),
                GenerationIdOrMemberEpoch = request.GenerationIdOrMemberEpoch,
                MemberId = request.MemberId,
                GroupInstanceId = request.GroupInstanceId,
                RetentionTimeMs = request.RetentionTimeMs,
                Topics = [.. round.Select(f => Upstream(f.Topic, f.Data, byId ? ids.IdOf(f.Topic.Backing) : null))],
            };
            var (response, frame) = await context.SendAsync<OffsetCommitResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                Collect(round, response.Topics, results);
                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
            }
        }

        if (shadowed.Count > 0)
        {
            var fence = await CommitFence.CheckAsync(
                context, header, request.GroupId, request.GenerationIdOrMemberEpoch, request.MemberId, request.GroupInstanceId,
                primary.SelectMany(p => results.TryGetValue(p.Data, out var answered) ? answered.Partitions.Select(a => a.ErrorCode) : []),
                shadowed.SelectMany(s => s.Data.Partitions.Select(p => (s.Topic.Backing, p.PartitionIndex))),
                cancellationToken).ConfigureAwait(false);
            foreach (var byAlias in shadowed.GroupBy(s => s.Topic.Alias, StringComparer.Ordinal))
            {
                var groupId = AliasOffsets.ShadowGroup(zone, byAlias.First().Topic, request.GroupId);
                foreach (var round in Rounds.ByBacking(byAlias, s => s.Topic.Backing))
                {
                    var (response, error) = fence != 0
                        ? (null, fence)
                        : await context.Coordinators.SendAsync<OffsetCommitResponse>(
                            groupId,
                            new OffsetCommitRequest
                            {
                                GroupId = groupId,
                                GenerationIdOrMemberEpoch = -1,
                                MemberId = "",
                                RetentionTimeMs = request.RetentionTimeMs,
                                Topics = [.. round.Select(f => Upstream(f.Topic, f.Data, byId ? ids.IdOf(f.Topic.Backing) : null))],
                            },
                            header.ApiVersion,
                            header.ClientId,
                            r => r.Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).FirstOrDefault(GroupErrors.IsMovedCoordinator),
                            cancellationToken).ConfigureAwait(false);
                    if (response is null)
                    {
                        foreach (var (data, _) in round)
                        {
                            results[data] = Failed(data, error);
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
            merged.Topics.Add(results.TryGetValue(data, out var found) ? found : Failed(data, byId ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition));
        }

        // limitCommitOffset: a commit over the zone's rate is still made, and its answer carries the throttle time.
        merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, context.Runtime.Traffic.Committed(context.Zone.Zone, context.Mute));
        return ZoneContext.Local(header, merged);
    }

    private static void Collect(
        List<(OffsetCommitRequest.OffsetCommitRequestTopic Data, ZoneTopic Topic)> round,
        List<OffsetCommitResponse.OffsetCommitResponseTopic> answered,
        Dictionary<OffsetCommitRequest.OffsetCommitRequestTopic, OffsetCommitResponse.OffsetCommitResponseTopic> results)
    {
        for (var i = 0; i < round.Count && i < answered.Count; i++)
        {
            answered[i].Name = round[i].Data.Name;
            answered[i].TopicId = round[i].Data.TopicId;
            results[round[i].Data] = answered[i];
        }
    }

    /// <summary>An alias's part of the request as it goes upstream: by backing name, or by the backing
    /// topic's real id when <paramref name="backingId"/> is given (v10).</summary>
    private static OffsetCommitRequest.OffsetCommitRequestTopic Upstream(ZoneTopic topic, OffsetCommitRequest.OffsetCommitRequestTopic data, Guid? backingId) => new()
    {
        Name = topic.Backing,
        TopicId = backingId ?? Guid.Empty,
        Partitions = data.Partitions,
    };

    private static OffsetCommitResponse.OffsetCommitResponseTopic Failed(OffsetCommitRequest.OffsetCommitRequestTopic data, short error) => new()
    {
        Name = data.Name,
        TopicId = data.TopicId,
        Partitions = [.. data.Partitions.Select(p => new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = error })],
    };
}
