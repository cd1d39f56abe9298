using Confluent.Kafka;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>The background cleaner of a running cluster applies retention and compaction to topics as
/// their configs ask, seen through Confluent.Kafka consumers.</summary>
public sealed class CleanerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retention_by_size_and_by_time_removes_old_records(bool inFiles)
    {
        using var dir = new TempDirectory();
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { DataDir = inFiles ? dir.Path : null, LogCleanupIntervalMs = 100 });
        await Clients.CreateTopicAsync(cluster, "by-size", 1, configs: new() { ["segment.bytes"] = "1000", ["retention.bytes"] = "3000" });
        await Clients.CreateTopicAsync(cluster, "by-time", 1, configs: new() { ["segment.ms"] = "1000", ["retention.ms"] = "60000" });

        var config = Clients.Producer(cluster);
        config.BatchSize = 500;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < 400; i++)
            {
                producer.Produce("by-size", new Message<string, string> { Key = $"k{i}", Value = $"value-{i:D5}" });
            }

            var old = new Timestamp(DateTime.UtcNow.AddHours(-2));
            for (var i = 0; i < 50; i++)
            {
                await producer.ProduceAsync("by-time", new Message<string, string> { Key = "old", Value = $"old{i}", Timestamp = old });
            }

            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync("by-time", new Message<string, string> { Key = "new", Value = $"new{i}" });
            }

            Assert.Equal(0, producer.Flush(Wait));
        }

        using var consumer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "cleaner")).Build();
        var sizeLog = cluster.State.Find("by-size")!.Partitions[0].Log;
        Assert.True(await Eventually(() => consumer.QueryWatermarkOffsets(new TopicPartition("by-time", 0), Wait).Low.Value == 50
            && consumer.QueryWatermarkOffsets(new TopicPartition("by-size", 0), Wait).Low.Value > 0));
        Assert.InRange(sizeLog.SizeInBytes, 2000, 4000);

        var left = PersistenceTests.ReadEverything(consumer, "by-time", 1, 5);
        Assert.Equal(["new0", "new1", "new2", "new3", "new4"], left.Select(r => r.Value));
        var low = sizeLog.LogStartOffset;
        var sized = PersistenceTests.ReadEverything(consumer, "by-size", 1, (int)(400 - low));
        Assert.Equal(Enumerable.Range((int)low, 400 - (int)low).Select(i => $"value-{i:D5}"), sized.Select(r => r.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Compacted_topic_keeps_the_latest_value_per_key(bool inFiles)
    {
        using var dir = new TempDirectory();
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { DataDir = inFiles ? dir.Path : null, LogCleanupIntervalMs = 100 });
        await Clients.CreateTopicAsync(cluster, "profiles", 1, configs: new() { ["cleanup.policy"] = "compact", ["segment.bytes"] = "800" });

        var config = Clients.Producer(cluster);
        config.BatchSize = 400;
        var latest = new Dictionary<string, string>();
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < 300; i++)
            {
                var key = $"user{i % 10}";
                latest[key] = $"v{i}";
                producer.Produce("profiles", new Message<string, string> { Key = key, Value = latest[key] });
            }

            Assert.Equal(0, producer.Flush(Wait));
        }

        var log = cluster.State.Find("profiles")!.Partitions[0].Log;
        Assert.True(await Eventually(() => log.SizeInBytes < 2_000), $"log still holds {log.SizeInBytes} bytes");

        using var consumer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "profiles-reader")).Build();
        consumer.Assign(new TopicPartitionOffset("profiles", 0, Offset.Beginning));
        var seen = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline && (seen.Count == 0 || seen[^1].Offset.Value < 299))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                seen.Add(result);
            }
        }

        Assert.Equal(299, seen[^1].Offset.Value);
        Assert.True(seen.Count < 300, $"nothing was compacted away ({seen.Count} records)");
        var activeBase = log.ActiveSegmentBase;
        var closed = seen.Where(r => r.Offset.Value < activeBase).ToList();
        Assert.Equal(closed.Count, closed.Select(r => r.Message.Key).Distinct().Count());
        foreach (var key in latest.Keys)
        {
            Assert.Equal(latest[key], seen.Last(r => r.Message.Key == key).Message.Value);
        }
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }
}
