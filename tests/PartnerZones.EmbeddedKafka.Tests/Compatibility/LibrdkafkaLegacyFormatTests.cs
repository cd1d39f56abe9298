using Confluent.Kafka;
using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// librdkafka told its broker is 0.8.2 (Produce v0, Fetch v0) or 0.9.0 (Produce v1, Fetch v1), without
/// asking for ApiVersions, as clients of such brokers run: it writes magic-0 snappy and lz4 message
/// sets (lz4 with old Kafka's frame header checksum) that we up-convert, and reads the snappy and lz4
/// message sets we down-convert. (librdkafka only takes a fallback below 0.10, so magic 1 is left to
/// the kafka-python tests.)
/// </summary>
public sealed class LibrdkafkaLegacyFormatTests
{
    private const int Count = 40;

    [Theory]
    [InlineData("0.8.2", CompressionType.Snappy)]
    [InlineData("0.8.2", CompressionType.Lz4)]
    [InlineData("0.9.0", CompressionType.Snappy)]
    [InlineData("0.9.0", CompressionType.Lz4)]
    public async Task Librdkafka_on_an_old_protocol_produces_and_consumes_compressed_message_sets(string brokerVersion, CompressionType compression)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "old-rdkafka", partitions: 1);
        var producerConfig = Clients.Producer(cluster);
        producerConfig.ApiVersionRequest = false;
        producerConfig.BrokerVersionFallback = brokerVersion;
        producerConfig.CompressionType = compression;
        producerConfig.LingerMs = 50;
        producerConfig.EnableIdempotence = false;
        producerConfig.Debug = "protocol";
        var version = brokerVersion == "0.9.0" ? "v1" : "v0";
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();

        using (var producer = new ProducerBuilder<string, string>(producerConfig).SetLogHandler((_, m) => log.Enqueue(m.Message)).Build())
        {
            for (var i = 0; i < Count; i++)
            {
                producer.Produce(new TopicPartition("old-rdkafka", 0), new Message<string, string> { Key = $"k{i}", Value = $"value {i} " + new string('z', 50) });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        // The debug log names each request with its version: the old protocol was really used.
        Assert.Contains(log, line => line.Contains($"Sent ProduceRequest ({version},", StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains("Sent ApiVersionRequest", StringComparison.Ordinal));
        var stored = RecordSet.DecodeAll(cluster.State.Find("old-rdkafka")!.Partitions[0].Log.Read(0, int.MaxValue));
        var expectedCodec = compression == CompressionType.Snappy ? RecordCompression.Snappy : RecordCompression.Lz4;
        Assert.All(stored, b => Assert.Equal(expectedCodec, b.Compression));
        var values = stored.SelectMany(b => b.Records).Select(r => System.Text.Encoding.UTF8.GetString(r.Value!.Value.Span)).ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"value {i} " + new string('z', 50)), values);

        var consumerConfig = Clients.Consumer(cluster, "old-rdkafka-readers");
        consumerConfig.ApiVersionRequest = false;
        consumerConfig.BrokerVersionFallback = brokerVersion;
        consumerConfig.Debug = "protocol";
        log.Clear();
        using var consumer = new ConsumerBuilder<string, string>(consumerConfig).SetLogHandler((_, m) => log.Enqueue(m.Message)).Build();
        consumer.Assign(new TopicPartitionOffset("old-rdkafka", 0, 0));
        var received = Clients.ConsumeAtLeast(consumer, Count, TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), received.Select(r => r.Offset.Value));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"k{i}"), received.Select(r => r.Message.Key));
        Assert.Equal(values, received.Select(r => r.Message.Value));
        Assert.Contains(log, line => line.Contains($"Sent FetchRequest ({version},", StringComparison.Ordinal));

        // Magic 0 has no timestamps: stored as -1, as Kafka stores them.
        Assert.All(stored.SelectMany(b => b.Records.Select(b.TimestampOf)), t => Assert.Equal(-1, t));
    }
}
