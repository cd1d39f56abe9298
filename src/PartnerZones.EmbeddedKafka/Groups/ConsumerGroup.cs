using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>The states of a classic group, as Kafka names them.</summary>
internal enum GroupPhase
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

/// <summary>A committed offset and its metadata string.</summary>
internal sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestamp);

/// <summary>
/// One consumer group, classic (or a consumer-protocol group, see <see cref="Modern"/>): members, generation, the rebalance in progress, and committed offsets.
/// Every method is called with the group locked (the coordinator takes <c>lock (group)</c>). With a
/// journal, committed offsets are persisted as they change.
/// </summary>
internal sealed class ConsumerGroup(string groupId, OffsetJournal? journal = null)
{
    public string GroupId { get; } = groupId;

    public GroupPhase Phase { get; set; } = GroupPhase.Empty;

    public int GenerationId { get; set; }

    public string? ProtocolType { get; set; }

    public string? ProtocolName { get; set; }

    public string? LeaderId { get; set; }

    public Dictionary<string, GroupMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Member ids handed out with MEMBER_ID_REQUIRED and not yet used to join.</summary>
    public HashSet<string> PendingMemberIds { get; } = new(StringComparer.Ordinal);

    public CommittedOffsetMap Offsets { get; } = new(groupId, journal);

    /// <summary>Set while the group uses the consumer group protocol of KIP-848 (its type is then "consumer",
    /// otherwise "classic"); the classic fields above stay unused meanwhile.</summary>
    public ConsumerProtocolState? Modern { get; set; }

    public string TypeName => Modern is null ? "classic" : "consumer";

    /// <summary>Members of either protocol.</summary>
    public int MemberCount => Members.Count + (Modern?.Members.Count ?? 0);

    /// <summary>When the current rebalance began, and whether it began from an empty group (which
    /// waits a short initial delay so members starting together land in one generation).</summary>
    public long RebalanceStartedAt { get; set; }

    public bool RebalanceFromEmpty { get; set; }

    public bool RebalanceTimerRunning { get; set; }

    public GroupMember? FindByInstanceId(string instanceId) =>
        Members.Values.FirstOrDefault(m => m.GroupInstanceId == instanceId);

    /// <summary>The protocol every member supports that most members prefer.</summary>
    public string? SelectProtocol()
    {
        if (Members.Count == 0)
        {
            return null;
        }

        var common = Members.Values.First().Protocols.Select(p => p.Name)
            .Where(name => Members.Values.All(m => m.Protocols.Any(p => p.Name == name)))
            .ToList();
        if (common.Count == 0)
        {
            return null;
        }

        return common
            .Select(name => (name, votes: Members.Values.Count(m => m.Protocols.First(p => common.Contains(p.Name)).Name == name)))
            .OrderByDescending(c => c.votes)
            .ThenBy(c => common.IndexOf(c.name))
            .First().name;
    }
}
