using Confluent.Kafka;
using PartnerZones.LoadTest.Workload;

namespace PartnerZones.LoadTest.Targets;

/// <summary>
/// --topic: one topic that already exists and is neither created nor deleted, for targets whose clients may
/// not create topics (a partner zone's alias behind a gateway). Each scenario appends to it; the consumer
/// starts at the end offsets read just before producing, so earlier records are not read back.
/// </summary>
internal sealed class ExistingTopic(string bootstrap, ClientProperties client, string topic) : ITopicSource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public Task<ScenarioTopic> PrepareAsync(string name, int partitions)
    {
        var (count, replication) = TopicAdmin.Describe(bootstrap, client, topic);
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(client.ApplyTo(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            ClientId = "pz-loadtest-offsets",
            GroupId = "pz-loadtest-offsets",
            EnableAutoCommit = false,
        })).SetLogHandler((_, m) => ClientLog.Write("offsets", m)).Build();
        var start = Enumerable.Range(0, count)
            .Select(p => new TopicPartitionOffset(topic, p, consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), Timeout).High))
            .ToList();
        return Task.FromResult(new ScenarioTopic(topic, start, replication, () => Task.CompletedTask));
    }
}
