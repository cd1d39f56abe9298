using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Xunit;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>Confluent.Kafka in the test process: sets up topics and records for the client under test and
/// checks independently what that client did, usually connected straight to the backing cluster.</summary>
public static class ReferenceClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates the topic and returns each partition's leader, after checking that leadership is
    /// spread over every node.</summary>
    public static async Task<IReadOnlyDictionary<int, int>> CreateTopicAsync(KafkaEndpoint endpoint, string topic, int partitions)
    {
        using (var admin = new AdminClientBuilder(endpoint.Config<AdminClientConfig>()).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
        }

        var leaders = Leaders(endpoint, topic);
        Assert.Equal(partitions, leaders.Count);
        Assert.Equal(Math.Min(partitions, Brokers(endpoint)), leaders.Values.Distinct().Count());
        return leaders;
    }

    public static IReadOnlyDictionary<int, int> Leaders(KafkaEndpoint endpoint, string topic)
    {
        using var admin = new AdminClientBuilder(endpoint.Config<AdminClientConfig>()).Build();
        var metadata = Assert.Single(admin.GetMetadata(topic, Timeout).Topics);
        Assert.Equal(ErrorCode.NoError, metadata.Error.Code);
        return metadata.Partitions.ToDictionary(p => p.PartitionId, p => p.Leader);
    }

    public static int Brokers(KafkaEndpoint endpoint)
    {
        using var admin = new AdminClientBuilder(endpoint.Config<AdminClientConfig>()).Build();
        return admin.GetMetadata(Timeout).Brokers.Count;
    }

    /// <summary>Produces <paramref name="count"/> records with <see cref="RecordChecks"/> keys and values, acks=all.</summary>
    public static void Produce(KafkaEndpoint endpoint, string topic, string prefix, int count)
    {
        var config = endpoint.Config<ProducerConfig>();
        config.Acks = Acks.All;
        config.LingerMs = 5;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = RecordChecks.Key(i), Value = RecordChecks.Value(prefix, i) });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
    }

    /// <summary>Every record of the topic, read by partition from the beginning up to the high
    /// watermark each partition had when reading started; no group is joined and nothing is committed.</summary>
    public static List<ClientRecord> ReadAll(KafkaEndpoint endpoint, string topic)
    {
        var config = endpoint.Config<ConsumerConfig>();
        config.GroupId = "reference-reader";
        config.EnableAutoCommit = false;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();

        var ends = Leaders(endpoint, topic).Keys
            .Select(p => new TopicPartition(topic, p))
            .ToDictionary(tp => tp.Partition.Value, tp => consumer.QueryWatermarkOffsets(tp, Timeout).High.Value);
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));

        var records = new List<ClientRecord>();
        var expected = ends.Values.Sum();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false })
            {
                records.Add(new ClientRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value, result.Topic));
            }
        }

        Assert.Equal(expected, records.Count);
        return records;
    }

    /// <summary>The group's committed offsets on the topic, added up: the number of records the group
    /// has committed as consumed when each partition was read from 0.</summary>
    public static async Task<long> CommittedTotalAsync(KafkaEndpoint endpoint, string group, string topic)
    {
        var offsets = await CommittedAsync(endpoint, group, topic);
        return offsets.Values.Where(o => o > 0).Sum();
    }

    /// <summary>The group's committed offset per partition of the topic (-1 where none is committed).</summary>
    public static async Task<Dictionary<int, long>> CommittedAsync(KafkaEndpoint endpoint, string group, string topic)
    {
        var partitions = Leaders(endpoint, topic).Keys.Select(p => new TopicPartition(topic, p)).ToList();
        using var admin = new AdminClientBuilder(endpoint.Config<AdminClientConfig>()).Build();
        var result = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, partitions)]);
        var offsets = Assert.Single(result).Partitions;
        Assert.All(offsets, o => Assert.Equal(ErrorCode.NoError, o.Error.Code));
        return offsets.ToDictionary(o => o.Partition.Value, o => o.Offset.Value);
    }
}
