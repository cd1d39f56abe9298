using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// Whether a committing member may write offsets into shadow groups (<see cref="AliasOffsets"/>). Shadow
/// groups never have members, so they cannot check the member's generation themselves: the partner's
/// own group must have accepted it first.
/// </summary>
internal static class CommitFence
{
    /// <summary>
    /// 0, or the error the zone's group gave. A standalone commit (no generation, no member) has nothing
    /// to check, as for any group without members. Otherwise a partition of the primary part accepted
    /// settles it, and a group error there refuses it; with no primary part (or only partition errors) a
    /// heartbeat with the member's coordinates asks the group. REBALANCE_IN_PROGRESS passes: the member and
    /// generation were valid, and Kafka accepts the current generation's commits while members rejoin.
    /// </summary>
    public static async Task<short> CheckAsync(
        ZoneContext context, RequestHeader header, string group, int generation, string memberId, string? groupInstanceId, IEnumerable<short> primaryCodes,
        IEnumerable<(string Backing, int Partition)> shadowPartitions, CancellationToken cancellationToken)
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

        if (codes.FirstOrDefault(GroupErrors.IsGroupError) is var groupError and not 0)
        {
            return groupError;
        }

        if (context.Runtime.ConsumerMembers.Find(context.Zone.Zone, group, memberId) is not null)
        {
            return await ConsumerMemberAsync(context, header, group, generation, memberId, shadowPartitions, cancellationToken).ConfigureAwait(false);
        }

        var version = context.Coordinators.Version(HeartbeatRequest.Key, HeartbeatRequest.HighestVersion);
        var heartbeat = new HeartbeatRequest
        {
            GroupId = context.Zone.Namespaced(group),
            GenerationId = generation,
            MemberId = memberId,
            GroupInstanceId = version >= 3 ? groupInstanceId : null,
        };
        var connection = await context.Upstream.GetAsync(cancellationToken).ConfigureAwait(false);
        var answer = await connection.SendAsync<HeartbeatResponse>(heartbeat, version, header.ClientId, cancellationToken).ConfigureAwait(false);
        return answer.ErrorCode is 0 or ErrorCodes.RebalanceInProgress ? (short)0 : answer.ErrorCode;
    }

    /// <summary>A member of a consumer-protocol (KIP-848) group commits with its member epoch, which a
    /// classic Heartbeat cannot check; the group's description can. The member must be in the group
    /// (UNKNOWN_MEMBER_ID), at that epoch or a newer one (FENCED_MEMBER_EPOCH for an epoch it never had).
    /// A commit made at an older epoch, in the moment before the member heard of its new one, passes when
    /// the member still holds every partition it commits, as Kafka accepts since KIP-1251 and the
    /// embedded cluster does; otherwise STALE_MEMBER_EPOCH, and the partition's new owner's position stands.</summary>
    private static async Task<short> ConsumerMemberAsync(
        ZoneContext context, RequestHeader header, string group, int memberEpoch, string memberId, IEnumerable<(string Backing, int Partition)> partitions, CancellationToken cancellationToken)
    {
        var version = context.Coordinators.Version(ConsumerGroupDescribeRequest.Key, ConsumerGroupDescribeRequest.HighestVersion);
        if (version < 0)
        {
            return ErrorCodes.UnknownMemberId;
        }

        var describe = new ConsumerGroupDescribeRequest { GroupIds = [context.Zone.Namespaced(group)] };
        var connection = await context.Upstream.GetAsync(cancellationToken).ConfigureAwait(false);
        var answer = await connection.SendAsync<ConsumerGroupDescribeResponse>(describe, version, header.ClientId, cancellationToken).ConfigureAwait(false);
        if (answer.Groups is not [var described])
        {
            return ErrorCodes.CoordinatorNotAvailable;
        }

        if (described.ErrorCode != 0)
        {
            return described.ErrorCode == ErrorCodes.GroupIdNotFound ? ErrorCodes.UnknownMemberId : described.ErrorCode;
        }

        if (described.Members.FirstOrDefault(m => m.MemberId == memberId) is not { } member)
        {
            return ErrorCodes.UnknownMemberId;
        }

        if (memberEpoch > member.MemberEpoch)
        {
            return ErrorCodes.FencedMemberEpoch;
        }

        var held = member.Assignment.TopicPartitions.SelectMany(t => t.Partitions.Select(p => (t.TopicName, p))).ToHashSet();
        return memberEpoch == member.MemberEpoch || partitions.All(held.Contains) ? (short)0 : ErrorCodes.StaleMemberEpoch;
    }
}
