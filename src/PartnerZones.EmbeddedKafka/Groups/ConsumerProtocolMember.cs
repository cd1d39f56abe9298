namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>One member of a group that uses the consumer group protocol of KIP-848 (ConsumerGroupHeartbeat).</summary>
internal sealed class ConsumerProtocolMember(string memberId)
{
    public string MemberId { get; } = memberId;

    public string? InstanceId { get; set; }

    public string? RackId { get; set; }

    public string ClientId { get; set; } = "";

    public string ClientHost { get; set; } = "";

    /// <summary>The epoch of the assignment the member was last given; 0 until it has one.</summary>
    public int MemberEpoch { get; set; }

    /// <summary>The epoch before the last bump: a member whose answer was lost may still heartbeat with it.</summary>
    public int PreviousMemberEpoch { get; set; } = -1;

    public List<string> SubscribedTopicNames { get; set; } = [];

    public string? SubscribedTopicRegex { get; set; }

    public int RebalanceTimeoutMs { get; set; } = 300_000;

    public string? ServerAssignor { get; set; }

    /// <summary>Partitions the member may consume now.</summary>
    public HashSet<TopicPartitionId> Assigned { get; set; } = [];

    /// <summary>The member epoch at which each partition of <see cref="Assigned"/> was given to the member: a
    /// commit made at an older epoch than the current one is still the member's own for partitions it has held
    /// since then.</summary>
    public Dictionary<TopicPartitionId, int> AssignedSince { get; set; } = [];

    /// <summary>Partitions taken from the member that it has not yet confirmed giving up; nobody else gets
    /// them until it does (or its rebalance timeout runs out), so no partition is ever consumed twice.</summary>
    public HashSet<TopicPartitionId> Revoking { get; set; } = [];

    public long RevokingSince { get; set; }

    public long LastSeen { get; set; } = Environment.TickCount64;

    /// <summary>A static member that left with epoch -2: it keeps its assignment until its session runs out,
    /// so the same instance can come back without a rebalance.</summary>
    public bool AwayTemporarily { get; set; }
}
