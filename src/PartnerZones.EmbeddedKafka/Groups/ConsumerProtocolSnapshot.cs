using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>Turns a consumer-protocol group into what consumer-groups.json stores, and back.</summary>
internal static class ConsumerProtocolSnapshot
{
    public static StoredConsumerGroup ToStored(string groupId, ConsumerProtocolState state) => new(
        groupId,
        state.GroupEpoch,
        state.AssignmentEpoch,
        state.AssignorName,
        state.SubscribedTopicsFingerprint,
        [.. state.Members.Values.OrderBy(m => m.MemberId, StringComparer.Ordinal).Select(m => new StoredConsumerMember(
            m.MemberId,
            m.InstanceId,
            m.RackId,
            m.ClientId,
            m.ClientHost,
            m.MemberEpoch,
            m.PreviousMemberEpoch,
            m.SubscribedTopicNames,
            m.SubscribedTopicRegex,
            m.RebalanceTimeoutMs,
            m.ServerAssignor,
            m.AwayTemporarily,
            Stored(m.Assigned, m.AssignedSince),
            Stored(m.Revoking, null),
            Stored(state.Target.GetValueOrDefault(m.MemberId) ?? [], null)))]);

    /// <summary>The group as it was stored; every member's session starts again now, so members that do not
    /// come back after the restart are removed one session timeout later.</summary>
    public static ConsumerProtocolState Restore(StoredConsumerGroup stored)
    {
        var state = new ConsumerProtocolState
        {
            GroupEpoch = stored.GroupEpoch,
            AssignmentEpoch = stored.AssignmentEpoch,
            AssignorName = stored.AssignorName,
            SubscribedTopicsFingerprint = stored.SubscribedTopicsFingerprint,
        };
        var now = Environment.TickCount64;
        foreach (var m in stored.Members)
        {
            state.Members[m.MemberId] = new ConsumerProtocolMember(m.MemberId)
            {
                InstanceId = m.InstanceId,
                RackId = m.RackId,
                ClientId = m.ClientId,
                ClientHost = m.ClientHost,
                MemberEpoch = m.MemberEpoch,
                PreviousMemberEpoch = m.PreviousMemberEpoch,
                SubscribedTopicNames = m.SubscribedTopicNames,
                SubscribedTopicRegex = m.SubscribedTopicRegex,
                RebalanceTimeoutMs = m.RebalanceTimeoutMs,
                ServerAssignor = m.ServerAssignor,
                AwayTemporarily = m.AwayTemporarily,
                Assigned = [.. m.Assigned.Select(p => new TopicPartitionId(p.TopicId, p.Partition))],
                AssignedSince = m.Assigned.ToDictionary(p => new TopicPartitionId(p.TopicId, p.Partition), p => p.Since),
                Revoking = [.. m.Revoking.Select(p => new TopicPartitionId(p.TopicId, p.Partition))],
                RevokingSince = now,
                LastSeen = now,
            };
            state.Target[m.MemberId] = [.. m.Target.Select(p => new TopicPartitionId(p.TopicId, p.Partition))];
        }

        return state;
    }

    private static List<StoredAssignedPartition> Stored(IEnumerable<TopicPartitionId> partitions, Dictionary<TopicPartitionId, int>? since) =>
        [.. partitions.OrderBy(p => p.TopicId).ThenBy(p => p.Partition)
            .Select(p => new StoredAssignedPartition(p.TopicId, p.Partition, since?.GetValueOrDefault(p) ?? 0))];
}
