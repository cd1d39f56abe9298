using Confluent.Kafka;
using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>Transactional producers through Confluent.Kafka: commit and abort, read_committed versus
/// read_uncommitted, fencing, consume-transform-produce and the coordinator's timeout.</summary>
public sealed class TransactionTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Read_committed_sees_only_committed_transactions_and_read_uncommitted_sees_all()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        await Clients.CreateTopicAsync(cluster, "txn-events", partitions: 2);

        using (var producer = new ProducerBuilder<string, string>(Transactional(cluster, "tx-events")).Build())
        {
            producer.InitTransactions(ClientTimeout);
            ProduceInTransaction(producer, "txn-events", "first", 50);
            producer.CommitTransaction(ClientTimeout);
            ProduceInTransaction(producer, "txn-events", "aborted", 30);
            producer.AbortTransaction(ClientTimeout);
            ProduceInTransaction(producer, "txn-events", "second", 20);
            producer.CommitTransaction(ClientTimeout);
        }

        // The last committed records follow the aborted ones in every partition, so once a read_committed
        // consumer has them all it has passed every aborted record too.
        var committed = ReadAll(cluster, "txn-events", 2, IsolationLevel.ReadCommitted, expected: 70);
        Assert.Equal(70, committed.Count);
        Assert.DoesNotContain(committed, v => v.StartsWith("aborted", StringComparison.Ordinal));
        Assert.Equal(50, committed.Count(v => v.StartsWith("first", StringComparison.Ordinal)));
        Assert.Equal(20, committed.Count(v => v.StartsWith("second", StringComparison.Ordinal)));

        var everything = ReadAll(cluster, "txn-events", 2, IsolationLevel.ReadUncommitted, expected: 100);
        Assert.Equal(100, everything.Count);
        Assert.Equal(30, everything.Count(v => v.StartsWith("aborted", StringComparison.Ordinal)));

        // Every partition the transactions touched got a marker per transaction, and the abort is on record.
        var producerId = cluster.Transactions.Describe("tx-events")!.ProducerId;
        foreach (var partition in cluster.State.Find("txn-events")!.Partitions)
        {
            Assert.Equal(partition.Log.LogEndOffset, partition.LastStableOffset);
            var aborted = Assert.Single(partition.AbortedTransactionsBetween(0, partition.Log.LogEndOffset));
            Assert.Equal(producerId, aborted.ProducerId);
            Assert.True(aborted.FirstOffset > 0);
        }
    }

    [Fact]
    public async Task An_open_transaction_holds_back_the_last_stable_offset_until_it_commits()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "lso", partitions: 1);
        var partition = cluster.State.Find("lso")!.Partitions[0];

        using var producer = new ProducerBuilder<string, string>(Transactional(cluster, "tx-lso")).Build();
        producer.InitTransactions(ClientTimeout);
        ProduceInTransaction(producer, "lso", "open", 10);

        Assert.Equal(0, partition.LastStableOffset);
        Assert.Equal(10, partition.Log.LogEndOffset);

        var config = Clients.Consumer(cluster, "lso-readers");
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(new TopicPartitionOffset("lso", 0, Offset.Beginning));
        Assert.Empty(Clients.ConsumeAtLeast(consumer, 1, TimeSpan.FromSeconds(3)));
        Assert.Equal(10, ReadAll(cluster, "lso", 1, IsolationLevel.ReadUncommitted, expected: 10).Count);

        producer.CommitTransaction(ClientTimeout);

        Assert.Equal(11, partition.Log.LogEndOffset); // ten records and the commit marker
        Assert.Equal(11, partition.LastStableOffset);
        var released = Clients.ConsumeAtLeast(consumer, 10, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"open-{i}"), released.Select(r => r.Message.Value));
    }

    [Fact]
    public async Task A_second_producer_with_the_same_transactional_id_fences_the_first()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        await Clients.CreateTopicAsync(cluster, "fenced", partitions: 1);

        using var zombie = new ProducerBuilder<string, string>(Transactional(cluster, "tx-fence")).Build();
        zombie.InitTransactions(ClientTimeout);
        ProduceInTransaction(zombie, "fenced", "zombie", 5);

        using var successor = new ProducerBuilder<string, string>(Transactional(cluster, "tx-fence")).Build();
        successor.InitTransactions(ClientTimeout);

        var fenced = Assert.ThrowsAny<KafkaException>(() => zombie.CommitTransaction(ClientTimeout));
        Assert.True(fenced.Error.IsFatal, $"expected a fatal error, got {fenced.Error.Code}: {fenced.Error.Reason}");
        Assert.Contains(fenced.Error.Code, new[] { ErrorCode.Local_Fenced, ErrorCode.ProducerFenced, ErrorCode.InvalidProducerEpoch });

        // Kafka bumps the epoch twice: once to fence and abort the zombie's transaction, once for the successor.
        var state = cluster.Transactions.Describe("tx-fence")!;
        Assert.Equal(2, state.ProducerEpoch);

        ProduceInTransaction(successor, "fenced", "successor", 3);
        successor.CommitTransaction(ClientTimeout);

        var committed = ReadAll(cluster, "fenced", 1, IsolationLevel.ReadCommitted, expected: 3);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => $"successor-{i}"), committed);
        var everything = ReadAll(cluster, "fenced", 1, IsolationLevel.ReadUncommitted, expected: 8);
        Assert.Equal(8, everything.Count);
    }

    [Fact]
    public async Task Offsets_sent_to_a_transaction_reach_the_group_only_when_it_commits()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        await Clients.CreateTopicAsync(cluster, "ctp-in", partitions: 1);
        await Clients.CreateTopicAsync(cluster, "ctp-out", partitions: 1);
        using (var source = new ProducerBuilder<string, string>(Clients.Producer(cluster)).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                source.Produce("ctp-in", new Message<string, string> { Key = "k", Value = $"in-{i}" });
            }

            Assert.Equal(0, source.Flush(ClientTimeout));
        }

        var config = Clients.Consumer(cluster, "ctp-group");
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe("ctp-in");
        using var producer = new ProducerBuilder<string, string>(Transactional(cluster, "tx-ctp")).Build();
        producer.InitTransactions(ClientTimeout);
        var input = new TopicPartition("ctp-in", 0);

        // Round one: transform ten records, send the offsets, commit.
        producer.BeginTransaction();
        var first = TakeExactly(consumer, 10);
        foreach (var record in first)
        {
            producer.Produce("ctp-out", new Message<string, string> { Key = record.Message.Key, Value = $"out-{record.Message.Value}" });
        }

        producer.SendOffsetsToTransaction([new TopicPartitionOffset(input, first[^1].Offset + 1)], consumer.ConsumerGroupMetadata, ClientTimeout);
        Assert.Equal(Offset.Unset, Committed(consumer, input));
        producer.CommitTransaction(ClientTimeout);
        Assert.Equal(10, Committed(consumer, input).Value);

        // Round two: the same, aborted; the group's offset stays where the commit left it.
        producer.BeginTransaction();
        var second = TakeExactly(consumer, 10);
        foreach (var record in second)
        {
            producer.Produce("ctp-out", new Message<string, string> { Key = record.Message.Key, Value = $"out-{record.Message.Value}" });
        }

        producer.SendOffsetsToTransaction([new TopicPartitionOffset(input, second[^1].Offset + 1)], consumer.ConsumerGroupMetadata, ClientTimeout);
        producer.AbortTransaction(ClientTimeout);
        Assert.Equal(10, Committed(consumer, input).Value);

        var output = ReadAll(cluster, "ctp-out", 1, IsolationLevel.ReadCommitted, expected: 10);
        Assert.Equal(first.Select(r => $"out-{r.Message.Value}"), output);
        consumer.Close();
    }

    [Fact]
    public async Task A_transaction_older_than_its_timeout_is_aborted_by_the_coordinator()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { TransactionTimeoutCheckIntervalMs = 100 });
        await Clients.CreateTopicAsync(cluster, "slow", partitions: 1);
        var partition = cluster.State.Find("slow")!.Partitions[0];

        var config = Transactional(cluster, "tx-slow");
        config.TransactionTimeoutMs = 2000;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        producer.InitTransactions(ClientTimeout);
        ProduceInTransaction(producer, "slow", "late", 4);
        Assert.Equal(0, partition.LastStableOffset);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (partition.LastStableOffset != partition.Log.LogEndOffset && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(5, partition.LastStableOffset); // four records and the coordinator's abort marker
        var aborted = Assert.Single(partition.AbortedTransactionsBetween(0, 5));
        Assert.Equal(0, aborted.FirstOffset);
        Assert.Throws<KafkaException>(() => producer.CommitTransaction(ClientTimeout));
        Assert.Empty(ReadAll(cluster, "slow", 1, IsolationLevel.ReadCommitted, expected: 1, timeout: TimeSpan.FromSeconds(3)));
    }

    private static ProducerConfig Transactional(EmbeddedCluster cluster, string transactionalId)
    {
        var config = Clients.Producer(cluster);
        config.TransactionalId = transactionalId;
        return config;
    }

    /// <summary>Begins a transaction, produces <paramref name="count"/> records and waits until they are acknowledged.</summary>
    private static void ProduceInTransaction(IProducer<string, string> producer, string topic, string prefix, int count)
    {
        producer.BeginTransaction();
        var failures = 0;
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<string, string> { Key = $"k{i % 7}", Value = $"{prefix}-{i}" }, report =>
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failures);
                }
            });
        }

        Assert.Equal(0, producer.Flush(ClientTimeout));
        Assert.Equal(0, failures);
    }

    /// <summary>Every value in the topic a consumer of <paramref name="isolation"/> sees, stopping at
    /// <paramref name="expected"/> records or when the time runs out.</summary>
    private static List<string> ReadAll(EmbeddedCluster cluster, string topic, int partitions, IsolationLevel isolation, int expected, TimeSpan? timeout = null)
    {
        var config = Clients.Consumer(cluster, $"readers-{Guid.NewGuid():N}");
        config.IsolationLevel = isolation;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = Clients.ConsumeAtLeast(consumer, expected, timeout ?? TimeSpan.FromSeconds(60)).Select(r => r.Message.Value).ToList();
        consumer.Close();
        return values;
    }

    private static List<ConsumeResult<string, string>> TakeExactly(IConsumer<string, string> consumer, int count)
    {
        var results = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }

        Assert.Equal(count, results.Count);
        return results;
    }

    private static Offset Committed(IConsumer<string, string> consumer, TopicPartition partition) =>
        Assert.Single(consumer.Committed([partition], ClientTimeout)).Offset;
}
