using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>DeleteRecords (21) through Confluent.Kafka's admin client: the log start moves, consumers start
/// there, the high-watermark shorthand works, bad offsets and compact-only topics are refused, and the new
/// start survives a restart.</summary>
public sealed class DeleteRecordsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeleteRecords_moves_the_low_watermark_and_it_survives_a_restart()
    {
        using var dir = new TempDirectory();
        var options = new ClusterOptions { DataDir = dir.Path };
        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            await Clients.CreateTopicAsync(cluster, "audit", partitions: 2);
            await Clients.CreateTopicAsync(cluster, "latest", partitions: 1, configs: new() { ["cleanup.policy"] = "compact" });
            await ProduceAsync(cluster, "audit", partition: 0, count: 20);
            await ProduceAsync(cluster, "audit", partition: 1, count: 10);
            await ProduceAsync(cluster, "latest", partition: 0, count: 3);

            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
            var results = await admin.DeleteRecordsAsync([new TopicPartitionOffset("audit", 0, 12), new TopicPartitionOffset("audit", 1, Offset.End)]);
            Assert.Equal(12, results.Single(r => r.Partition.Value == 0).Offset.Value);
            Assert.Equal(10, results.Single(r => r.Partition.Value == 1).Offset.Value);

            var beyond = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync([new TopicPartitionOffset("audit", 0, 21)]));
            Assert.Equal(ErrorCode.OffsetOutOfRange, beyond.Results[0].Error.Code);
            var compacted = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync([new TopicPartitionOffset("latest", 0, 1)]));
            Assert.Equal(ErrorCode.PolicyViolation, compacted.Results[0].Error.Code);

            using var consumer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "after-delete")).Build();
            Assert.Equal(12, consumer.QueryWatermarkOffsets(new TopicPartition("audit", 0), Wait).Low.Value);
            var records = PersistenceTests.ReadEverything(consumer, "audit", 2, 8);
            Assert.Equal(Enumerable.Range(12, 8).Select(o => (long)o), records.Select(r => r.Offset));
        }

        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            using var consumer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "after-restart")).Build();
            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition("audit", 0), Wait);
            Assert.Equal((12L, 20L), (watermarks.Low.Value, watermarks.High.Value));
            Assert.Equal(10, consumer.QueryWatermarkOffsets(new TopicPartition("audit", 1), Wait).Low.Value);
        }
    }

    private static async Task ProduceAsync(EmbeddedCluster cluster, string topic, int partition, int count)
    {
        using var producer = new ProducerBuilder<string, string>(Clients.Producer(cluster)).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
        }
    }
}
