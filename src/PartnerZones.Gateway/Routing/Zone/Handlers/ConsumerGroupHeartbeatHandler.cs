using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Routing.Zone.ConsumerProtocol;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// The consumer group protocol of KIP-848 for the zone's own groups. The group id goes upstream under
/// the zone's prefix. The member's subscription, names or a regex, is evaluated against the zone's
/// aliases only (<see cref="AliasSubscription"/>) and sent upstream as the sorted list of backing topics
/// it covers, never as a regex, so the upstream cannot match anything outside the zone; it is evaluated
/// again at every heartbeat, so the subscription follows the zone as it changes. Owned partitions and the
/// assignment are translated between virtual and real topic ids (<see cref="AliasAssignments"/>).
/// </summary>
internal sealed class ConsumerGroupHeartbeatHandler : ZoneHandler<ConsumerGroupHeartbeatRequest>
{
    /// <summary>INVALID_REGULAR_EXPRESSION, Kafka's answer for a SubscribedTopicRegex it cannot compile.</summary>
    public const short InvalidRegularExpression = 128;

    public override string Served => "forwarded, group id namespaced; names or regex evaluated against the zone's aliases and sent as backing names; assignment answered per alias with virtual ids";

    public override string Refusal => "names outside the zone, and a regex, subscribe only the zone's aliases; owned partitions outside the zone are dropped; a member this gateway does not know that sends no subscription: FENCED_MEMBER_EPOCH (it rejoins and sends it)";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, ConsumerGroupHeartbeatRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var members = context.Runtime.ConsumerMembers;
        var ids = context.Runtime.TopicIds;
        var leaving = request.MemberEpoch < 0;

        AliasSubscription? subscription;
        if (request.SubscribedTopicRegex is { Length: > 0 } pattern)
        {
            subscription = AliasSubscription.OfPattern(pattern);
            if (subscription is null)
            {
                return Answer(header, InvalidRegularExpression, $"SubscribedTopicRegex {pattern} is not a valid regular expression.");
            }
        }
        else
        {
            subscription = request.SubscribedTopicNames is { } names ? AliasSubscription.OfNames(names)
                : request.SubscribedTopicRegex is { Length: 0 } ? AliasSubscription.OfNames([])
                : members.Find(zone.Zone, request.GroupId, request.MemberId);
        }

        if (subscription is null && request.MemberEpoch > 0)
        {
            // The member's aliases are needed to answer its assignment; only the member can say them again.
            return Answer(header, ErrorCodes.FencedMemberEpoch,
                "The gateway does not know this member's subscription (it restarted, or the member's connection moved to another gateway); rejoin the group.");
        }

        var aliases = subscription?.Aliases(zone) ?? [];
        var owned = request.TopicPartitions;
        if (owned is not null || aliases.Count > 0)
        {
            await BackingTopicIds.LearnAsync(context, header.ClientId, aliases.Select(a => a.Backing).Concat(
                owned?.Select(o => zone.ByVirtualId.GetValueOrDefault(o.TopicId)?.Backing).OfType<string>() ?? []), cancellationToken).ConfigureAwait(false);
        }

        var upstreamRequest = new ConsumerGroupHeartbeatRequest
        {
            GroupId = zone.Namespaced(request.GroupId),
            MemberId = request.MemberId,
            MemberEpoch = request.MemberEpoch,
            InstanceId = request.InstanceId,
            RackId = request.RackId,
            RebalanceTimeoutMs = request.RebalanceTimeoutMs,
            SubscribedTopicNames = subscription is null || leaving ? null : AliasSubscription.Backing(aliases),
            SubscribedTopicRegex = null,
            ServerAssignor = request.ServerAssignor,
            TopicPartitions = owned is null ? null
                : [.. AliasAssignments.ToBacking(owned.Select(o => (o.TopicId, (IReadOnlyList<int>)o.Partitions)), zone, ids)
                    .Select(b => new ConsumerGroupHeartbeatStructs.TopicPartitionsData { TopicId = b.BackingId, Partitions = b.Partitions })],
        };

        var (response, frame) = await context.SendAsync<ConsumerGroupHeartbeatResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
        using (frame)
        {
            response.ErrorMessage = response.ErrorMessage?.Replace(zone.GroupPrefix, "", StringComparison.Ordinal);
            if (response.Assignment is { } assignment)
            {
                if (assignment.TopicPartitions.Any(t => ids.NameOf(t.TopicId) is null))
                {
                    // A backing topic created or recreated since the catalog last heard of it.
                    await BackingTopicIds.LearnAsync(context, header.ClientId, aliases.Select(a => a.Backing), cancellationToken).ConfigureAwait(false);
                }

                assignment.TopicPartitions = [.. AliasAssignments.ToAliases(assignment.TopicPartitions.Select(t => (t.TopicId, (IReadOnlyList<int>)t.Partitions)), aliases, ids)
                    .Select(a => new ConsumerGroupHeartbeatStructs.TopicPartitionsData { TopicId = a.VirtualId, Partitions = a.Partitions })];
            }

            var memberId = string.IsNullOrEmpty(response.MemberId) ? request.MemberId : response.MemberId;
            if (leaving)
            {
                members.Forget(zone.Zone, request.GroupId, memberId);
            }
            else if (response.ErrorCode == 0 && subscription is not null)
            {
                members.Remember(zone.Zone, request.GroupId, memberId, subscription);
            }

            // Every field was copied out of the frame (strings, ids, numbers), so the answer stands alone.
            return ZoneContext.Local(header, response);
        }
    }

    private static OutgoingFrame Answer(RequestHeader header, short error, string message) =>
        ZoneContext.Local(header, new ConsumerGroupHeartbeatResponse { ErrorCode = error, ErrorMessage = message });
}
