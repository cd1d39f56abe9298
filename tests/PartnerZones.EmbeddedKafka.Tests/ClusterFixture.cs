using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>Helpers shared by the real-client tests.</summary>
internal static class Clients
{
    public static async Task CreateTopicAsync(EmbeddedCluster cluster, string name, int partitions, short replication = 1, Dictionary<string, string>? configs = null)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = replication, Configs = configs }]);
    }

    public static ProducerConfig Producer(EmbeddedCluster cluster, Acks acks = Acks.All) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        Acks = acks,
        LingerMs = 5,
    };

    public static ConsumerConfig Consumer(EmbeddedCluster cluster, string groupId) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 500,
    };

    /// <summary>Consumes until <paramref name="count"/> records arrived or the time runs out.</summary>
    public static List<ConsumeResult<string, string>> ConsumeAtLeast(IConsumer<string, string> consumer, int count, TimeSpan timeout)
    {
        var results = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + timeout;
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false })
            {
                results.Add(result);
            }
        }

        return results;
    }
}
