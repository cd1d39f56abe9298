using Confluent.Kafka;

namespace PartnerZones.LoadTest.Targets;

/// <summary>The topic one scenario writes to and reads back: its name as the target's clients see it, where
/// the consumer starts in each partition (everything before was there before this scenario), and what to
/// do with it afterwards.</summary>
public sealed record ScenarioTopic(string Name, IReadOnlyList<TopicPartitionOffset> Start, short Replication, Func<Task> ReleaseAsync)
{
    public int Partitions => Start.Count;

    public static IReadOnlyList<TopicPartitionOffset> FromBeginning(string topic, int partitions) =>
        [.. Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning))];
}
