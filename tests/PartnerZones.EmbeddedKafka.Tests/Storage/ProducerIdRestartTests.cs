using Confluent.Kafka;
using PartnerZones.EmbeddedKafka.Transactions;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>
/// Producer ids are never handed out twice over the life of a data directory. Idempotent and transactional
/// producers write, the cluster restarts on the same directory, and new producers of each kind write
/// records that are all stored: every acknowledged record is read back, at its own offset. With reused ids
/// a new producer's first batches matched an old producer's and were acknowledged at the old records'
/// offsets without being stored (or answered OUT_OF_ORDER_SEQUENCE_NUMBER, fatal to librdkafka).
/// </summary>
public sealed class ProducerIdRestartTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task New_producers_after_a_restart_store_every_acknowledged_record(bool loseTheIdFile)
    {
        using var dir = new TempDirectory();
        var options = new ClusterOptions { Nodes = 1, DataDir = dir.Path };
        var acknowledged = new List<(long Offset, string Value)>();

        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            await Clients.CreateTopicAsync(cluster, "events", partitions: 1);
            acknowledged.AddRange(await ProduceAsync(cluster, "before-idempotent", transactionalId: null));
            acknowledged.AddRange(await ProduceAsync(cluster, "before-transactional", transactionalId: "txn-before"));
        }

        if (loseTheIdFile)
        {
            // A data directory from before the id file existed: the logs alone must keep ids unique.
            File.Delete(Path.Combine(dir.Path, ProducerIdBlocks.FileName));
        }

        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            acknowledged.AddRange(await ProduceAsync(cluster, "after-idempotent", transactionalId: null));
            acknowledged.AddRange(await ProduceAsync(cluster, "after-transactional", transactionalId: "txn-after"));
            acknowledged.AddRange(await ProduceAsync(cluster, "after-same-txn-id", transactionalId: "txn-before"));

            // Every acknowledged record is stored, at the offset it was acknowledged with, exactly once.
            var offsets = acknowledged.Select(a => a.Offset).ToList();
            Assert.Equal(offsets.Count, offsets.Distinct().Count());
            using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = "check",
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                IsolationLevel = IsolationLevel.ReadCommitted,
            }).Build();
            consumer.Assign(new TopicPartitionOffset("events", 0, Offset.Beginning));
            var read = Clients.ConsumeAtLeast(consumer, acknowledged.Count, Wait)
                .Select(r => (r.Offset.Value, r.Message.Value)).ToList();
            Assert.Equal(acknowledged.OrderBy(a => a.Offset), read);
        }
    }

    [Fact]
    public async Task An_idempotent_producer_that_outlives_the_restart_carries_on_and_nothing_is_stored_twice()
    {
        using var dir = new TempDirectory();
        var options = new ClusterOptions { Nodes = 1, DataDir = dir.Path, BasePort = PartnerZones.Testing.LoopbackPorts.FreeRange(1) };
        var cluster = await EmbeddedCluster.StartAsync(options);
        try
        {
            await Clients.CreateTopicAsync(cluster, "events", partitions: 1);
            using var producer = new ProducerBuilder<string, string>(new ProducerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                Acks = Acks.All,
                EnableIdempotence = true,
                MessageTimeoutMs = 60_000,
            }).Build();
            var acknowledged = new List<(long Offset, string Value)>();
            for (var i = 0; i < 3; i++)
            {
                var report = await producer.ProduceAsync("events", new Message<string, string> { Key = $"old-{i}", Value = $"old-{i}" });
                acknowledged.Add((report.Offset.Value, report.Message.Value));
            }

            // The broker goes away under the producer and comes back on the same port and data.
            await cluster.DisposeAsync();
            cluster = await EmbeddedCluster.StartAsync(options);
            for (var i = 0; i < 3; i++)
            {
                var report = await producer.ProduceAsync("events", new Message<string, string> { Key = $"resumed-{i}", Value = $"resumed-{i}" });
                acknowledged.Add((report.Offset.Value, report.Message.Value));
            }

            using var consumer = new ConsumerBuilder<string, string>(Clients.Consumer(cluster, "check")).Build();
            consumer.Assign(new TopicPartitionOffset("events", 0, Offset.Beginning));
            var read = Clients.ConsumeAtLeast(consumer, acknowledged.Count, Wait).Select(r => (r.Offset.Value, r.Message.Value)).ToList();
            Assert.Equal(acknowledged, read);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Three records from a new producer of one kind; returns each one's acknowledged offset.</summary>
    private static async Task<List<(long Offset, string Value)>> ProduceAsync(EmbeddedCluster cluster, string prefix, string? transactionalId)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            TransactionalId = transactionalId,
        };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        if (transactionalId is not null)
        {
            producer.InitTransactions(Wait);
            producer.BeginTransaction();
        }

        var result = new List<(long, string)>();
        for (var i = 0; i < 3; i++)
        {
            var value = $"{prefix}-{i}";
            var report = await producer.ProduceAsync("events", new Message<string, string> { Key = value, Value = value });
            result.Add((report.Offset.Value, value));
        }

        if (transactionalId is not null)
        {
            producer.CommitTransaction(Wait);
        }

        return result;
    }
}
