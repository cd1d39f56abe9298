using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>A server-side assignor of the consumer group protocol (group.consumer.assignors).</summary>
internal interface IPartitionAssignor
{
    string Name { get; }

    /// <summary>
    /// Assigns every partition of the subscribed topics to one subscriber. <paramref name="subscriptions"/> lists
    /// the members in member id order with the topics each subscribes to; <paramref name="previous"/> is the last
    /// target, so an assignor can keep partitions where they are.
    /// </summary>
    Dictionary<string, HashSet<TopicPartitionId>> Assign(
        IReadOnlyList<(string MemberId, IReadOnlyList<TopicState> Topics)> subscriptions,
        IReadOnlyDictionary<string, HashSet<TopicPartitionId>> previous);
}
