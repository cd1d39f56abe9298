using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Routing.Zone.ConsumerProtocol;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Describes the zone's own consumer-protocol groups (namespaced upstream), in the partner's terms: group
/// ids without the prefix, each member's subscription as it subscribed (its aliases, or its regex), and
/// its assignment and target assignment under those aliases with their virtual ids. A group that is not
/// a consumer-protocol group is GROUP_ID_NOT_FOUND, as Kafka answers, and clients fall back to
/// DescribeGroups for it.
/// </summary>
internal sealed class ConsumerGroupDescribeHandler : ZoneHandler<ConsumerGroupDescribeRequest>
{
    public override string Served => "forwarded, group ids namespaced; answered without the prefix, subscriptions and assignments under the zone's aliases with virtual ids";

    public override string Refusal => "nothing refused: every group id is the zone's own (namespaced upstream); backing topics outside the zone are left out of every answer";

    protected override Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, ConsumerGroupDescribeRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var members = context.Runtime.ConsumerMembers;
        request.GroupIds = [.. request.GroupIds.Select(zone.Namespaced)];
        return context.ForwardAsync<ConsumerGroupDescribeResponse>(header, request, response =>
        {
            foreach (var group in response.Groups)
            {
                group.GroupId = zone.Strip(group.GroupId) ?? group.GroupId;
                group.ErrorMessage = group.ErrorMessage?.Replace(zone.GroupPrefix, "", StringComparison.Ordinal);
                group.AuthorizedOperations = int.MinValue;
                foreach (var member in group.Members)
                {
                    Rewrite(zone, members.Find(zone.Zone, group.GroupId, member.MemberId), member);
                }
            }
        }, cancellationToken);
    }

    private static void Rewrite(ZonePolicy zone, AliasSubscription? subscription, ConsumerGroupDescribeResponse.Member member)
    {
        // A member this instance has not heard from is described on every alias of its backing topics.
        var aliases = subscription?.Aliases(zone)
            ?? [.. zone.Topics.Where(t => member.SubscribedTopicNames.Contains(t.Backing, StringComparer.Ordinal))];
        member.SubscribedTopicNames = subscription?.Pattern is null ? [.. aliases.Select(a => a.Alias)] : [];
        member.SubscribedTopicRegex = subscription?.Pattern;
        member.Assignment = Translate(member.Assignment, aliases);
        member.TargetAssignment = Translate(member.TargetAssignment, aliases);
    }

    private static ConsumerGroupDescribeResponse.AssignmentData Translate(ConsumerGroupDescribeResponse.AssignmentData assignment, IReadOnlyList<ZoneTopic> aliases) => new()
    {
        TopicPartitions = [.. aliases.SelectMany(alias => assignment.TopicPartitions
            .Where(t => string.Equals(t.TopicName, alias.Backing, StringComparison.Ordinal))
            .Take(1)
            .Select(t => new ConsumerGroupDescribeResponse.TopicPartitionsData
            {
                TopicId = alias.VirtualId,
                TopicName = alias.Alias,
                Partitions = [.. t.Partitions.Order()],
            }))],
    };
}
