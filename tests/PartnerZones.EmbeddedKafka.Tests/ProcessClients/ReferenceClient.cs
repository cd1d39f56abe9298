using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>Confluent.Kafka in this process: sets up topics and records for the client under test and
/// checks independently what that client did.</summary>
internal static class ReferenceClient
{
    /// <summary>Creates the topic and returns each partition's leader, after checking that leadership is
    /// spread over every node.</summary>
    public static async Task<IReadOnlyDictionary<int, int>> CreateTopicAsync(EmbeddedCluster cluster, string topic, int partitions)
    {
        await Clients.CreateTopicAsync(cluster, topic, partitions);
        var leaders = Leaders(cluster, topic);
        Assert.Equal(partitions, leaders.Count);
        Assert.Equal(Math.Min(partitions, cluster.EndPoints.Count), leaders.Values.Distinct().Count());
        return leaders;
    }

    public static IReadOnlyDictionary<int, int> Leaders(EmbeddedCluster cluster, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var metadata = Assert.Single(admin.GetMetadata(topic, TimeSpan.FromSeconds(30)).Topics);
        Assert.Equal(ErrorCode.NoError, metadata.Error.Code);
        return metadata.Partitions.ToDictionary(p => p.PartitionId, p => p.Leader);
    }

    public static void Produce(EmbeddedCluster cluster, string topic, string prefix, int count)
    {
        using var producer = new ProducerBuilder<string, string>(Clients.Producer(cluster)).Build();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = RecordChecks.Key(i), Value = RecordChecks.Value(prefix, i) });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }

    /// <summary>Every record of the topic, read by partition from the beginning up to the high
    /// watermark each partition had when reading started.</summary>
    public static List<ClientRecord> ReadAll(EmbeddedCluster cluster, string topic)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "reference-reader",
            EnableAutoCommit = false,
        }).Build();

        var ends = Leaders(cluster, topic).Keys
            .Select(p => new TopicPartition(topic, p))
            .ToDictionary(tp => tp.Partition.Value, tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30)).High.Value);
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));

        var records = new List<ClientRecord>();
        var expected = ends.Values.Sum();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false })
            {
                records.Add(new ClientRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value));
            }
        }

        Assert.Equal(expected, records.Count);
        return records;
    }

    /// <summary>The group's committed offsets on the topic, added up: the number of records the group
    /// has committed as consumed when each partition was read from 0.</summary>
    public static async Task<long> CommittedTotalAsync(EmbeddedCluster cluster, string group, string topic)
    {
        var partitions = Leaders(cluster, topic).Keys.Select(p => new TopicPartition(topic, p)).ToList();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var result = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, partitions)]);
        var offsets = Assert.Single(result).Partitions;
        Assert.All(offsets, o => Assert.Equal(ErrorCode.NoError, o.Error.Code));
        return offsets.Where(o => o.Offset.Value > 0).Sum(o => o.Offset.Value);
    }
}
