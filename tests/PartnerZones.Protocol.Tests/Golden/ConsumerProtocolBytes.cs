using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>
/// Reads the topic names in the opaque bytes of the "consumer" protocol type: a JoinGroup
/// subscription and a SyncGroup assignment. Both start with an int16 version and, in every version
/// so far, a classic (non-compact) array of topics; later fields are not needed here.
/// </summary>
public static class ConsumerProtocolBytes
{
    public static List<string> SubscribedTopics(ReadOnlyMemory<byte> subscription)
    {
        var reader = new KafkaReader(subscription);
        reader.ReadInt16();
        var count = reader.ReadArrayCount(compact: false);
        var topics = new List<string>();
        for (var i = 0; i < count; i++)
        {
            topics.Add(reader.ReadString(compact: false));
        }

        return topics;
    }

    public static List<(string Topic, int Partition)> AssignedPartitions(ReadOnlyMemory<byte> assignment)
    {
        var reader = new KafkaReader(assignment);
        reader.ReadInt16();
        var topicCount = reader.ReadArrayCount(compact: false);
        var assigned = new List<(string, int)>();
        for (var t = 0; t < topicCount; t++)
        {
            var topic = reader.ReadString(compact: false);
            var partitionCount = reader.ReadArrayCount(compact: false, minElementSize: 4);
            for (var p = 0; p < partitionCount; p++)
            {
                assigned.Add((topic, reader.ReadInt32()));
            }
        }

        return assigned;
    }
}
