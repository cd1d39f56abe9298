using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Cli.Tests;

/// <summary>`pz kafka --data-dir` killed with SIGKILL in the middle of producing: after a restart every
/// acknowledged record is there, every batch passes its CRC, and offsets have no gaps; a new idempotent
/// producer then stores every record it is acknowledged for.</summary>
public sealed partial class KafkaCrashTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"^node 0 listening on (127\.0\.0\.1:\d+)$")]
    private static partial Regex NodeLine();

    [Fact]
    public async Task Kill_9_while_producing_loses_no_acknowledged_record_and_leaves_no_torn_batch()
    {
        var dataDir = Directory.CreateTempSubdirectory("pz-crash-").FullName;
        try
        {
            var acknowledged = new ConcurrentDictionary<string, byte>();
            using (var pz = PzProcess.Start("kafka", "--listen", "127.0.0.1:0", "--data-dir", dataDir))
            {
                var bootstrap = await BootstrapOf(pz);
                using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
                {
                    await admin.CreateTopicsAsync([new TopicSpecification { Name = "crash", NumPartitions = 3, ReplicationFactor = 1 }]);
                }

                using var producer = new ProducerBuilder<string, string>(new ProducerConfig
                {
                    BootstrapServers = bootstrap,
                    Acks = Acks.All,
                    EnableIdempotence = true,
                    LingerMs = 2,
                    MessageTimeoutMs = 5000,
                }).Build();
                var sent = 0;
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (acknowledged.Count < 3000 && DateTime.UtcNow < deadline)
                {
                    var value = $"v{sent++}";
                    producer.Produce("crash", new Message<string, string> { Key = value, Value = value }, report =>
                    {
                        if (report.Error.Code == ErrorCode.NoError)
                        {
                            acknowledged.TryAdd(report.Message.Value, 0);
                        }
                    });
                    if (sent % 500 == 0)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }

                // SIGKILL while records are still in flight.
                pz.Dispose();
                producer.Flush(TimeSpan.FromSeconds(6));
            }

            Assert.True(acknowledged.Count >= 3000, $"only {acknowledged.Count} records were acknowledged before the kill");

            using var restarted = PzProcess.Start("kafka", "--listen", "127.0.0.1:0", "--data-dir", dataDir);
            var again = await BootstrapOf(restarted);
            using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = again,
                GroupId = "after-crash",
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                CheckCrcs = true,
                EnablePartitionEof = true,
            }).Build();
            consumer.Subscribe("crash");
            var read = new HashSet<string>();
            var offsets = new Dictionary<int, List<long>>();
            var ended = new HashSet<int>();
            var until = DateTime.UtcNow.AddSeconds(60);
            while (ended.Count < 3 && DateTime.UtcNow < until)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(250));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    ended.Add(result.Partition.Value);
                    continue;
                }

                read.Add(result.Message.Value);
                if (!offsets.TryGetValue(result.Partition.Value, out var list))
                {
                    offsets[result.Partition.Value] = list = [];
                }

                list.Add(result.Offset.Value);
            }

            Assert.Equal(3, ended.Count);
            var lost = acknowledged.Keys.Where(v => !read.Contains(v)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged records are missing, e.g. {string.Join(", ", lost.Take(5))}");
            foreach (var (partition, list) in offsets)
            {
                Assert.Equal(Enumerable.Range(0, list.Count).Select(o => (long)o), list);
            }

            consumer.Close();

            // A new idempotent producer after the crash gets a producer id of its own: its records are
            // stored after the old ones, not taken for duplicates of the old producer's first batches.
            using var fresh = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = again, Acks = Acks.All, EnableIdempotence = true }).Build();
            var after = new List<DeliveryResult<string, string>>();
            for (var i = 0; i < 30; i++)
            {
                after.Add(await fresh.ProduceAsync(new TopicPartition("crash", i % 3), new Message<string, string> { Key = $"after{i}", Value = $"after{i}" }));
            }

            Assert.All(after, report => Assert.True(report.Offset.Value >= offsets[report.Partition.Value].Count,
                $"'{report.Message.Value}' was acknowledged at {report.TopicPartitionOffset}, inside the records written before the crash"));
            using var checker = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = again, GroupId = "after-restart", EnableAutoCommit = false }).Build();
            foreach (var report in after)
            {
                checker.Assign(report.TopicPartitionOffset);
                var stored = checker.Consume(TimeSpan.FromSeconds(20));
                Assert.Equal(report.Message.Value, stored?.Message.Value);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<string> BootstrapOf(PzBackground pz)
    {
        var line = await pz.ReadLineAsync(StartTimeout);
        var match = NodeLine().Match(line ?? "");
        Assert.True(match.Success, $"unexpected '{line}'; stderr: {pz.Error}");
        return match.Groups[1].Value;
    }
}
