using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>
/// A cluster with a data directory, through Confluent.Kafka: topics (ids, partitions, leaders, configs),
/// records and committed offsets come back after the cluster is disposed and a new one starts on the
/// same directory; a copy of the directory taken mid-produce starts whole and gap-free.
/// </summary>
public sealed class PersistenceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(FlushPolicy.BeforeAcksAll)]
    [InlineData(FlushPolicy.EveryAppend)]
    public async Task Topics_records_and_committed_offsets_survive_a_restart(FlushPolicy policy)
    {
        using var dir = new TempDirectory();
        var options = new ClusterOptions { Nodes = 2, DataDir = dir.Path, FlushPolicy = policy };
        List<(int Partition, long Offset, string Key, string Value)> produced;
        Guid topicId;
        int[] leaders;
        var commits = new[] { new TopicPartitionOffset("events", 0, 40), new TopicPartitionOffset("events", 2, 7) };

        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            await Clients.CreateTopicAsync(cluster, "events", partitions: 3, configs: new() { ["segment.bytes"] = "1000", ["retention.ms"] = "-1" });
            produced = await ProduceAsync(cluster, "events", 600, "first");
            topicId = cluster.State.Find("events")!.Id;
            leaders = [.. cluster.State.Find("events")!.Partitions.Select(p => p.Leader)];
            Assert.All(cluster.State.Find("events")!.Partitions, p => Assert.True(p.Log.SegmentCount >= 3, $"partition {p.Index} has {p.Log.SegmentCount} segments"));

            using var committer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "readers")).Build();
            committer.Commit(commits);
        }

        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            var topic = cluster.State.Find("events")!;
            Assert.Equal(topicId, topic.Id);
            Assert.Equal(leaders, topic.Partitions.Select(p => p.Leader));

            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
            var metadata = Assert.Single(admin.GetMetadata("events", Wait).Topics);
            Assert.Equal(3, metadata.Partitions.Count);
            var configs = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "events" }]);
            Assert.Equal("1000", configs[0].Entries["segment.bytes"].Value);

            using var consumer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "readers")).Build();
            var committed = consumer.Committed([new("events", 0), new("events", 1), new("events", 2)], Wait);
            Assert.Equal([40L, Offset.Unset.Value, 7L], committed.OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value));

            Assert.Equal(produced, ReadEverything(consumer, "events", 3, produced.Count));

            // Appends carry on after the last stored offset of each partition.
            var more = await ProduceAsync(cluster, "events", 30, "second");
            foreach (var partition in more.GroupBy(m => m.Partition))
            {
                var lastBefore = produced.Where(p => p.Partition == partition.Key).Select(p => p.Offset).DefaultIfEmpty(-1).Max();
                Assert.Equal(lastBefore + 1, partition.Min(m => m.Offset));
            }
        }
    }

    [Fact]
    public async Task A_copy_of_the_data_directory_taken_mid_produce_starts_whole_and_gap_free()
    {
        using var dir = new TempDirectory();
        var live = dir.Sub("live");
        var options = new ClusterOptions { DataDir = live, FlushPolicy = FlushPolicy.EveryAppend };
        var images = new List<(string Path, Dictionary<int, long> AckedBefore)>();
        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            await Clients.CreateTopicAsync(cluster, "stream", partitions: 2, configs: new() { ["segment.bytes"] = "5000" });
            var acked = new Dictionary<int, long> { [0] = 0, [1] = 0 };
            using var producer = new ProducerBuilder<string, string>(Clients.Producer(cluster)).Build();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var writer = Task.Run(async () =>
            {
                for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
                {
                    var result = await producer.ProduceAsync("stream", new Message<string, string> { Key = $"k{i % 5}", Value = $"v{i}" });
                    lock (acked)
                    {
                        acked[result.Partition.Value] = Math.Max(acked[result.Partition.Value], result.Offset.Value + 1);
                    }
                }
            });

            for (var copy = 0; copy < 3 && !writer.IsCompleted; copy++)
            {
                await Task.Delay(400);
                Dictionary<int, long> before;
                lock (acked)
                {
                    before = new(acked);
                }

                var image = dir.Sub($"image{copy}");
                TempDirectory.Copy(live, image);
                images.Add((image, before));
            }

            await stop.CancelAsync();
            await writer;
        }

        Assert.True(images.Count >= 2, $"produce finished before enough copies were taken ({images.Count})");
        foreach (var (image, ackedBefore) in images)
        {
            await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { DataDir = image });
            foreach (var partition in cluster.State.Find("stream")!.Partitions)
            {
                var end = partition.Log.LogEndOffset;
                Assert.True(end >= ackedBefore[partition.Index], $"{image} partition {partition.Index}: end {end} is below the {ackedBefore[partition.Index]} acknowledged before the copy");
            }

            using var consumer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "check")).Build();
            var total = (int)cluster.State.Find("stream")!.Partitions.Sum(p => p.Log.LogEndOffset);
            var records = ReadEverything(consumer, "stream", 2, total);
            foreach (var partition in records.GroupBy(r => r.Partition))
            {
                Assert.Equal(Enumerable.Range(0, partition.Count()).Select(o => (long)o), partition.Select(r => r.Offset));
            }
        }
    }

    private static async Task<List<(int Partition, long Offset, string Key, string Value)>> ProduceAsync(EmbeddedCluster cluster, string topic, int count, string prefix)
    {
        // Small batches, so the partitions roll several segments.
        var config = Clients.Producer(cluster);
        config.BatchSize = 1000;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        var sends = Enumerable.Range(0, count)
            .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i % 13}", Value = $"{prefix}{i}" }))
            .ToList();
        var results = await Task.WhenAll(sends).WaitAsync(Wait);
        return [.. results.Select(r => (r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Value))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2)];
    }

    /// <summary>Reads every partition from its beginning until <paramref name="expected"/> records arrived (bounded in time).</summary>
    internal static List<(int Partition, long Offset, string Key, string Value)> ReadEverything(
        IConsumer<string, string> consumer, string topic, int partitions, int expected)
    {
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = Clients.ConsumeAtLeast(consumer, expected, TimeSpan.FromSeconds(60));
        return [.. results.Select(r => (r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Value))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2)];
    }
}
