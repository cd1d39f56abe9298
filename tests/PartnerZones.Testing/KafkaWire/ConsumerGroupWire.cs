using PartnerZones.Protocol.Messages;
using static PartnerZones.Protocol.Messages.ConsumerGroupHeartbeatStructs;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>ConsumerGroupHeartbeat requests as a KIP-848 client sends them, for raw-protocol tests.</summary>
public static class ConsumerGroupWire
{
    public static Task<ConsumerGroupHeartbeatResponse> JoinAsync(KafkaWireClient raw, string group, string memberId, IReadOnlyList<string>? topics = null, string? regex = null, string? assignor = null, string? instanceId = null) =>
        raw.SendAsync<ConsumerGroupHeartbeatResponse>(new ConsumerGroupHeartbeatRequest
        {
            GroupId = group,
            MemberId = memberId,
            MemberEpoch = 0,
            InstanceId = instanceId,
            RebalanceTimeoutMs = 30_000,
            SubscribedTopicNames = topics is null ? (regex is null ? [] : null) : [.. topics],
            SubscribedTopicRegex = regex,
            ServerAssignor = assignor,
            TopicPartitions = [],
        }, 1);

    public static Task<ConsumerGroupHeartbeatResponse> BeatAsync(KafkaWireClient raw, string group, string memberId, int epoch, IEnumerable<TopicPartitionsData>? owned = null) =>
        raw.SendAsync<ConsumerGroupHeartbeatResponse>(new ConsumerGroupHeartbeatRequest
        {
            GroupId = group,
            MemberId = memberId,
            MemberEpoch = epoch,
            TopicPartitions = owned?.ToList(),
        }, 1);

    /// <summary>Heartbeats reporting exactly what the last answer assigned (the member has reconciled).</summary>
    public static Task<ConsumerGroupHeartbeatResponse> AckAsync(KafkaWireClient raw, string group, ConsumerGroupHeartbeatResponse last) =>
        BeatAsync(raw, group, last.MemberId!, last.MemberEpoch, last.Assignment?.TopicPartitions ?? []);

    public static int Count(ConsumerGroupHeartbeatResponse response) =>
        response.Assignment?.TopicPartitions.Sum(t => t.Partitions.Count) ?? 0;
}
