namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>The fields of a ConsumerGroupHeartbeat request the coordinator needs, independent of the wire version.
/// Null fields did not change since the member's last heartbeat.</summary>
internal sealed record ConsumerHeartbeat(
    string GroupId,
    string MemberId,
    int MemberEpoch,
    string? InstanceId,
    string? RackId,
    int RebalanceTimeoutMs,
    IReadOnlyList<string>? SubscribedTopicNames,
    string? SubscribedTopicRegex,
    string? ServerAssignor,
    IReadOnlyCollection<TopicPartitionId>? OwnedPartitions,
    string ClientId,
    string ClientHost,
    bool ClientGeneratesMemberId);

/// <summary>What a heartbeat answers: an error, or the member's id, epoch and the partitions it may consume.</summary>
internal sealed record ConsumerHeartbeatResult(
    short ErrorCode,
    string? ErrorMessage,
    string? MemberId,
    int MemberEpoch,
    IReadOnlyCollection<TopicPartitionId>? Assignment)
{
    public static ConsumerHeartbeatResult Error(short code, string message) => new(code, message, null, 0, null);
}
