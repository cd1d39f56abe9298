using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Finds the partition a request names and checks that this node leads it, with the error
/// code Kafka gives when it does not exist or lives elsewhere.</summary>
internal static class PartitionLookup
{
    public static (PartitionState? Partition, short ErrorCode) Find(BrokerNode node, TopicState? topic, int partition, bool byId = false)
    {
        if (topic is null)
        {
            return (null, byId ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition);
        }

        if (partition < 0 || partition >= topic.Partitions.Count)
        {
            return (null, ErrorCodes.UnknownTopicOrPartition);
        }

        var state = topic.Partitions[partition];
        return state.Leader == node.Id ? (state, ErrorCodes.None) : (state, ErrorCodes.NotLeaderOrFollower);
    }

    public static TopicState? Topic(BrokerNode node, string? name, Guid id) =>
        name is { Length: > 0 } ? node.State.Find(name) : node.State.Find(id);
}
