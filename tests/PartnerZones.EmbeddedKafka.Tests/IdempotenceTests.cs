using Confluent.Kafka;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>Idempotent producers: librdkafka with enable.idempotence, and hand-made retries, gaps and stale epochs.</summary>
public sealed class IdempotenceTests
{
    [Fact]
    public async Task Idempotent_producer_writes_ten_thousand_records_without_duplicates_or_gaps()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        await Clients.CreateTopicAsync(cluster, "idem", partitions: 3);

        const int count = 10_000;
        var failures = 0;
        var config = Clients.Producer(cluster);
        config.EnableIdempotence = true;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce("idem", new Message<string, string> { Key = $"k{i % 31}", Value = $"v{i}" }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failures);
                    }
                });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(0, failures);

        // Stored exactly once: the logs hold count records, and one producer wrote each partition in sequence.
        var partitions = cluster.State.Find("idem")!.Partitions;
        Assert.Equal(count, partitions.Sum(p => p.Log.LogEndOffset));
        var producerIds = new HashSet<long>();
        foreach (var partition in partitions)
        {
            lock (partition.AppendLock)
            {
                var producer = Assert.Single(partition.Producers.Snapshot());
                producerIds.Add(producer.ProducerId);
                Assert.Equal(partition.Log.LogEndOffset - 1, producer.LastSequence);
            }
        }

        Assert.Single(producerIds);

        var consumerConfig = Clients.Consumer(cluster, "idem-readers");
        using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset("idem", p.Index, Offset.Beginning)));
        var received = Clients.ConsumeAtLeast(consumer, count, TimeSpan.FromSeconds(60));

        Assert.Equal(count, received.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"v{i}").Order(), received.Select(r => r.Message.Value).Order());
        foreach (var partition in received.GroupBy(r => r.Partition.Value))
        {
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(o => (long)o), partition.Select(r => r.Offset.Value));
        }
    }

    [Fact]
    public async Task A_retried_batch_is_acknowledged_with_its_first_offset_and_stored_once()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "retry", partitions: 1);
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var producerId = await InitIdempotentAsync(connection);
        var log = cluster.State.Find("retry")!.Partitions[0].Log;

        var first = TestRecordBatches.Idempotent(producerId, 0, firstSequence: 0, count: 3);
        var sent = await connection.ProduceAsync("retry", first);
        var resent = await connection.ProduceAsync("retry", first);

        Assert.Equal((ErrorCodes.None, 0L), (sent.ErrorCode, sent.BaseOffset));
        Assert.Equal((ErrorCodes.None, 0L), (resent.ErrorCode, resent.BaseOffset));
        Assert.Equal(3, log.LogEndOffset);

        var second = await connection.ProduceAsync("retry", TestRecordBatches.Idempotent(producerId, 0, firstSequence: 3, count: 2));
        Assert.Equal((ErrorCodes.None, 3L), (second.ErrorCode, second.BaseOffset));

        // Any of the last five batches is recognised, not only the latest.
        var again = await connection.ProduceAsync("retry", first);
        Assert.Equal((ErrorCodes.None, 0L), (again.ErrorCode, again.BaseOffset));
        Assert.Equal(5, log.LogEndOffset);

        // Past five newer batches the first is forgotten: a resend is out of order, as in Kafka.
        for (var sequence = 5; sequence < 10; sequence++)
        {
            Assert.Equal(ErrorCodes.None, (await connection.ProduceAsync("retry", TestRecordBatches.Idempotent(producerId, 0, sequence, 1))).ErrorCode);
        }

        var forgotten = await connection.ProduceAsync("retry", first);
        Assert.Equal(ErrorCodes.OutOfOrderSequenceNumber, forgotten.ErrorCode);
        Assert.Equal(10, log.LogEndOffset);
    }

    [Fact]
    public async Task A_gap_in_sequences_and_a_stale_epoch_are_refused()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "gaps", partitions: 1);
        await using var connection = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var producerId = await InitIdempotentAsync(connection);
        var log = cluster.State.Find("gaps")!.Partitions[0].Log;

        Assert.Equal(ErrorCodes.None, (await connection.ProduceAsync("gaps", TestRecordBatches.Idempotent(producerId, 0, 0, 3))).ErrorCode);

        var gap = await connection.ProduceAsync("gaps", TestRecordBatches.Idempotent(producerId, 0, firstSequence: 5, count: 1));
        Assert.Equal(ErrorCodes.OutOfOrderSequenceNumber, gap.ErrorCode);
        Assert.Equal(3, log.LogEndOffset);

        // A new epoch must start its sequences at 0.
        var newEpochMidway = await connection.ProduceAsync("gaps", TestRecordBatches.Idempotent(producerId, 1, firstSequence: 3, count: 1));
        Assert.Equal(ErrorCodes.OutOfOrderSequenceNumber, newEpochMidway.ErrorCode);
        var newEpoch = await connection.ProduceAsync("gaps", TestRecordBatches.Idempotent(producerId, 1, firstSequence: 0, count: 2));
        Assert.Equal((ErrorCodes.None, 3L), (newEpoch.ErrorCode, newEpoch.BaseOffset));

        // The old epoch is fenced, even for a sequence that would otherwise follow on.
        var stale = await connection.ProduceAsync("gaps", TestRecordBatches.Idempotent(producerId, 0, firstSequence: 3, count: 1));
        Assert.Equal(ErrorCodes.InvalidProducerEpoch, stale.ErrorCode);
        Assert.Equal(5, log.LogEndOffset);

        // A producer this partition has never seen may start anywhere (its earlier batches may be gone with the log).
        var otherId = await InitIdempotentAsync(connection);
        var late = await connection.ProduceAsync("gaps", TestRecordBatches.Idempotent(otherId, 0, firstSequence: 42, count: 1));
        Assert.Equal((ErrorCodes.None, 5L), (late.ErrorCode, late.BaseOffset));
    }

    [Fact]
    public async Task Idempotent_producer_ids_are_unique_and_start_at_epoch_zero()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 2 });
        await using var a = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await using var b = await KafkaWireClient.ConnectAsync(cluster.EndPoints[1]);
        var ids = new List<long>();
        foreach (var connection in new[] { a, b, a, b })
        {
            var response = await connection.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, 4);
            Assert.Equal((ErrorCodes.None, (short)0), (response.ErrorCode, response.ProducerEpoch));
            ids.Add(response.ProducerId);
        }

        Assert.Equal(4, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id >= 0));
    }

    private static async Task<long> InitIdempotentAsync(KafkaWireClient connection)
    {
        var response = await connection.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, 4);
        Assert.Equal(ErrorCodes.None, response.ErrorCode);
        return response.ProducerId;
    }
}
