using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Deletes committed offsets of the partner's own group (namespaced, like every group API) where each
/// alias keeps them (<see cref="AliasOffsets"/>): a primary alias's in the zone's group under the backing
/// name, another alias's in its shadow group. Kafka's rules are kept in alias terms: names outside the
/// zone get UNKNOWN_TOPIC_OR_PARTITION; an alias the group's members consume gets
/// GROUP_SUBSCRIBED_TO_TOPIC and keeps its offsets (<see cref="GroupSubscriptions"/>: the upstream cannot
/// tell, since subscriptions name aliases); a group error (not the coordinator, a non-consumer group with
/// members, no such group) is the answer for the whole request. A partner group that exists only as
/// shadow groups (it only ever committed non-primary aliases) exists for the partner.
/// </summary>
internal sealed class OffsetDeleteHandler : ZoneHandler<OffsetDeleteRequest>
{
    public override string Served => "forwarded, group id namespaced, each alias deleted where its offsets live; subscriptions checked at the gateway";

    public override string Refusal =>
        "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION; aliases the group consumes: GROUP_SUBSCRIBED_TO_TOPIC; other groups are unreachable (every group id is the zone's own)";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, OffsetDeleteRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var groupId = zone.Namespaced(request.GroupId);
        var subscriptions = await GroupSubscriptions.ReadAsync(context, header.ClientId, groupId, cancellationToken).ConfigureAwait(false);
        if (subscriptions.ErrorCode != 0)
        {
            return ZoneContext.Local(header, new OffsetDeleteResponse { ErrorCode = subscriptions.ErrorCode });
        }

        var local = new Dictionary<OffsetDeleteRequest.OffsetDeleteRequestTopic, short>();
        var primary = new List<(OffsetDeleteRequest.OffsetDeleteRequestTopic Data, ZoneTopic Topic)>();
        var shadowed = new List<(OffsetDeleteRequest.OffsetDeleteRequestTopic Data, ZoneTopic Topic)>();
        foreach (var data in request.Topics)
        {
            if (context.Alias(data.Name) is not { } topic)
            {
                local[data] = ErrorCodes.UnknownTopicOrPartition;
            }
            else if (subscriptions.Consumes(topic.Alias))
            {
                local[data] = ErrorCodes.GroupSubscribedToTopic;
            }
            else
            {
                (AliasOffsets.IsPrimary(zone, topic) ? primary : shadowed).Add((data, topic));
            }
        }

        var results = new Dictionary<OffsetDeleteRequest.OffsetDeleteRequestTopic, OffsetDeleteResponse.OffsetDeleteResponseTopic>();
        var merged = new OffsetDeleteResponse();

        // The zone's group is always asked, with no topic if need be: its answer is the group's error.
        var rounds = Rounds.ByBacking(primary, p => p.Topic.Backing);
        var groupError = (short)0;
        foreach (var round in rounds.Count > 0 ? rounds : [[]])
        {
            var upstreamRequest = new OffsetDeleteRequest { GroupId = groupId, Topics = [.. round.Select(f => Upstream(f.Topic, f.Data))] };
            var (response, frame) = await context.SendAsync<OffsetDeleteResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
                groupError = groupError != 0 ? groupError : response.ErrorCode;
                Collect(round, response.Topics, results);
            }
        }

        if (groupError is not (0 or ErrorCodes.GroupIdNotFound))
        {
            return ZoneContext.Local(header, new OffsetDeleteResponse { ErrorCode = groupError, ThrottleTimeMs = merged.ThrottleTimeMs });
        }

        var shadowGroupFound = false;
        foreach (var byAlias in shadowed.GroupBy(s => s.Topic.Alias, StringComparer.Ordinal))
        {
            var shadowId = AliasOffsets.ShadowGroup(zone, byAlias.First().Topic, request.GroupId);
            foreach (var round in Rounds.ByBacking(byAlias, s => s.Topic.Backing))
            {
                var (response, error) = await context.Coordinators.SendAsync<OffsetDeleteResponse>(
                    shadowId,
                    new OffsetDeleteRequest { GroupId = shadowId, Topics = [.. round.Select(f => Upstream(f.Topic, f.Data))] },
                    header.ApiVersion,
                    header.ClientId,
                    r => r.ErrorCode,
                    cancellationToken).ConfigureAwait(false);
                if (response is { ErrorCode: 0 })
                {
                    shadowGroupFound = true;
                    Collect(round, response.Topics, results);
                    continue;
                }

                // No shadow group: this alias never committed in this group, so there is nothing to delete.
                var code = response is null ? error : response.ErrorCode == ErrorCodes.GroupIdNotFound ? (short)0 : response.ErrorCode;
                foreach (var (data, _) in round)
                {
                    results[data] = Answer(data, code);
                }
            }
        }

        if (groupError == ErrorCodes.GroupIdNotFound && !shadowGroupFound)
        {
            return ZoneContext.Local(header, new OffsetDeleteResponse { ErrorCode = ErrorCodes.GroupIdNotFound, ThrottleTimeMs = merged.ThrottleTimeMs });
        }

        foreach (var data in request.Topics)
        {
            // A primary alias of a group that exists only as shadow groups has no offsets to delete.
            merged.Topics.Add(results.TryGetValue(data, out var found) ? found : Answer(data, local.GetValueOrDefault(data)));
        }

        return ZoneContext.Local(header, merged);
    }

    private static OffsetDeleteRequest.OffsetDeleteRequestTopic Upstream(ZoneTopic topic, OffsetDeleteRequest.OffsetDeleteRequestTopic data) =>
        new() { Name = topic.Backing, Partitions = data.Partitions };

    private static void Collect(
        List<(OffsetDeleteRequest.OffsetDeleteRequestTopic Data, ZoneTopic Topic)> round,
        List<OffsetDeleteResponse.OffsetDeleteResponseTopic> answered,
        Dictionary<OffsetDeleteRequest.OffsetDeleteRequestTopic, OffsetDeleteResponse.OffsetDeleteResponseTopic> results)
    {
        for (var i = 0; i < round.Count && i < answered.Count; i++)
        {
            answered[i].Name = round[i].Data.Name;
            results[round[i].Data] = answered[i];
        }
    }

    private static OffsetDeleteResponse.OffsetDeleteResponseTopic Answer(OffsetDeleteRequest.OffsetDeleteRequestTopic data, short error) => new()
    {
        Name = data.Name,
        Partitions = [.. data.Partitions.Select(p => new OffsetDeleteResponse.OffsetDeleteResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = error })],
    };
}
