namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>
/// What a group using the consumer group protocol holds besides its offsets: members, the group epoch (bumped
/// whenever membership, subscriptions or the subscribed topics change), and the target assignment computed for
/// that epoch. Members move towards the target one heartbeat at a time (<see cref="ConsumerProtocolCoordinator"/>).
/// Used with the owning <see cref="ConsumerGroup"/> locked.
/// </summary>
internal sealed class ConsumerProtocolState
{
    public int GroupEpoch { get; set; }

    public int AssignmentEpoch { get; set; }

    public Dictionary<string, ConsumerProtocolMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>The target assignment of <see cref="AssignmentEpoch"/>, by member id.</summary>
    public Dictionary<string, HashSet<TopicPartitionId>> Target { get; set; } = new(StringComparer.Ordinal);

    public string AssignorName { get; set; } = UniformAssignor.AssignorName;

    /// <summary>The subscribed topics (id and partition count) the target was computed for; when the cluster's
    /// topics change under the subscriptions, the group epoch is bumped.</summary>
    public string SubscribedTopicsFingerprint { get; set; } = "";

    /// <summary>Kafka's consumer group states: Empty, Assigning (never seen here: targets are computed at once),
    /// Reconciling while some member has not reached the target, Stable.</summary>
    public string StateName
    {
        get
        {
            if (Members.Count == 0)
            {
                return "Empty";
            }

            if (AssignmentEpoch < GroupEpoch)
            {
                return "Assigning";
            }

            foreach (var member in Members.Values)
            {
                if (member.MemberEpoch != AssignmentEpoch || member.Revoking.Count > 0
                    || !member.Assigned.SetEquals(Target.GetValueOrDefault(member.MemberId) ?? []))
                {
                    return "Reconciling";
                }
            }

            return "Stable";
        }
    }

    public ConsumerProtocolMember? FindByInstanceId(string instanceId) =>
        Members.Values.FirstOrDefault(m => m.InstanceId == instanceId);

    /// <summary>The member that still holds <paramref name="partition"/> (assigned or being revoked), other than <paramref name="except"/>.</summary>
    public bool HeldByOther(TopicPartitionId partition, ConsumerProtocolMember except)
    {
        foreach (var member in Members.Values)
        {
            if (member != except && (member.Assigned.Contains(partition) || member.Revoking.Contains(partition)))
            {
                return true;
            }
        }

        return false;
    }
}
