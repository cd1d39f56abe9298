using Confluent.Kafka;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;

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

        // Until the commit the offset is staged, not committed: a fetch asking for stable offsets is told
        // to retry (UNSTABLE_OFFSET_COMMIT), one that does not sees no offset yet.
        await using (var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[cluster.Groups.CoordinatorFor("ctp-group")]))
        {
            Assert.Equal((ErrorCodes.UnstableOffsetCommit, -1L), await FetchOffsetAsync(raw, "ctp-group", "ctp-in", requireStable: true));
            Assert.Equal((ErrorCodes.None, -1L), await FetchOffsetAsync(raw, "ctp-group", "ctp-in", requireStable: false));
        }

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

    [Fact]
    public async Task The_coordinator_answers_with_kafkas_error_codes_for_each_version()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        await Clients.CreateTopicAsync(cluster, "raw-txn", partitions: 2);
        const string id = "tx-raw";
        var coordinatorId = cluster.Groups.CoordinatorFor(id);
        var partition = cluster.State.Find("raw-txn")!.Partitions[0];
        await using var coordinator = await KafkaWireClient.ConnectAsync(cluster.EndPoints[coordinatorId]);
        await using var elsewhere = await KafkaWireClient.ConnectAsync(cluster.EndPoints[(coordinatorId + 1) % 3]);
        await using var leader = await KafkaWireClient.ConnectAsync(cluster.EndPoints[partition.Leader]);

        Assert.Equal(ErrorCodes.InvalidTransactionTimeout, (await InitAsync(coordinator, id, timeoutMs: 0)).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidTransactionTimeout, (await InitAsync(coordinator, id, timeoutMs: 900_001)).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidRequest, (await InitAsync(coordinator, "")).ErrorCode);
        Assert.Equal(ErrorCodes.NotCoordinator, (await InitAsync(elsewhere, id)).ErrorCode);

        var first = await InitAsync(coordinator, id);
        var second = await InitAsync(coordinator, id);
        Assert.Equal((ErrorCodes.None, (short)0), (first.ErrorCode, first.ProducerEpoch));
        Assert.Equal((ErrorCodes.None, first.ProducerId, (short)1), (second.ErrorCode, second.ProducerId, second.ProducerEpoch));
        var pid = first.ProducerId;

        // The older epoch is fenced: PRODUCER_FENCED from v2 of the coordinator APIs, INVALID_PRODUCER_EPOCH before.
        Assert.Equal(ErrorCodes.InvalidProducerEpoch, Assert.Single(await AddPartitionsAsync(coordinator, id, pid, 0, ("raw-txn", 0), version: 1)).Value);
        Assert.Equal(ErrorCodes.ProducerFenced, Assert.Single(await AddPartitionsAsync(coordinator, id, pid, 0, ("raw-txn", 0), version: 3)).Value);
        Assert.Equal(ErrorCodes.InvalidProducerEpoch, await EndAsync(coordinator, id, pid, 0, commit: true, version: 1));
        Assert.Equal(ErrorCodes.ProducerFenced, await EndAsync(coordinator, id, pid, 0, commit: true, version: 3));
        Assert.Equal(ErrorCodes.InvalidProducerIdMapping, await EndAsync(coordinator, id, pid + 1, 1, commit: true, version: 3));
        Assert.Equal(ErrorCodes.NotCoordinator, await EndAsync(elsewhere, id, pid, 1, commit: true, version: 3));

        // An unknown topic fails and the rest of the request is not attempted; nothing begun cannot end.
        var mixed = await AddPartitionsAsync(coordinator, id, pid, 1, ("raw-txn", 0), version: 3, ("missing", 0));
        Assert.Equal(ErrorCodes.OperationNotAttempted, mixed[("raw-txn", 0)]);
        Assert.Equal(ErrorCodes.UnknownTopicOrPartition, mixed[("missing", 0)]);
        Assert.Equal(ErrorCodes.InvalidTxnState, await EndAsync(coordinator, id, pid, 1, commit: true, version: 3));

        // A transaction's batch for a partition it never added: INVALID_TXN_STATE before Produce v11, TRANSACTION_ABORTABLE from it.
        var batch = TestRecordBatches.Idempotent(pid, 1, firstSequence: 0, count: 2, transactional: true);
        Assert.Equal(ErrorCodes.InvalidTxnState, (await leader.ProduceAsync("raw-txn", batch, id, version: 9)).ErrorCode);
        Assert.Equal(ErrorCodes.TransactionAbortable, (await leader.ProduceAsync("raw-txn", batch, id, version: 11)).ErrorCode);
        Assert.Equal(0, partition.Log.LogEndOffset);

        // Added, it is taken, and the open transaction pins the last stable offset at its first record.
        Assert.Equal(ErrorCodes.None, Assert.Single(await AddPartitionsAsync(coordinator, id, pid, 1, ("raw-txn", 0), version: 3)).Value);
        Assert.Equal(ErrorCodes.None, (await leader.ProduceAsync("raw-txn", batch, id, version: 11)).ErrorCode);
        Assert.Equal((0L, 2L), (partition.LastStableOffset, partition.Log.LogEndOffset));

        // The batched form (v4+, what brokers send) may only verify: partition 0 is in, partition 1 is not,
        // and TRANSACTION_ABORTABLE is known from v5.
        Assert.Equal(new[] { ErrorCodes.None, ErrorCodes.TransactionAbortable }, await VerifyAsync(coordinator, id, pid, 1, "raw-txn", version: 5));
        Assert.Equal(new[] { ErrorCodes.None, ErrorCodes.InvalidTxnState }, await VerifyAsync(coordinator, id, pid, 1, "raw-txn", version: 4));
        Assert.Equal(new[] { ErrorCodes.ProducerFenced, ErrorCodes.ProducerFenced }, await VerifyAsync(coordinator, id, pid, 0, "raw-txn", version: 5));
        Assert.Equal([("raw-txn", 0)], cluster.Transactions.Describe(id)!.Partitions);

        // Inside its transaction the producer may not write outside it, and no client may write markers.
        Assert.Equal(ErrorCodes.InvalidTxnState, (await leader.ProduceAsync("raw-txn", TestRecordBatches.Idempotent(pid, 1, 2, 1))).ErrorCode);
        var marker = new EndTransactionMarker(ControlRecordType.Commit, 0).ToBatch(pid, 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToArray();
        Assert.Equal(ErrorCodes.InvalidRecord, (await leader.ProduceAsync("raw-txn", marker, id)).ErrorCode);
        Assert.Equal(2, partition.Log.LogEndOffset);

        // Abort: the marker lands, the last stable offset moves past it, and the aborted range is recorded.
        Assert.Equal(ErrorCodes.None, await EndAsync(coordinator, id, pid, 1, commit: false, version: 3));
        Assert.Equal((3L, 3L), (partition.LastStableOffset, partition.Log.LogEndOffset));
        var aborted = Assert.Single(partition.AbortedTransactionsBetween(0, 3));
        Assert.Equal((pid, 0L), (aborted.ProducerId, aborted.FirstOffset));
        Assert.Empty(partition.AbortedTransactionsBetween(3, 3));
        Assert.Equal(ErrorCodes.None, await EndAsync(coordinator, id, pid, 1, commit: false, version: 3));
        Assert.Equal(ErrorCodes.InvalidTxnState, await EndAsync(coordinator, id, pid, 1, commit: true, version: 3));

        // KIP-360: the current producer may bump its own epoch, a lost answer is answered again, a stranger is fenced.
        var bumped = await InitAsync(coordinator, id, producerId: pid, epoch: 1);
        Assert.Equal((ErrorCodes.None, pid, (short)2), (bumped.ErrorCode, bumped.ProducerId, bumped.ProducerEpoch));
        var retried = await InitAsync(coordinator, id, producerId: pid, epoch: 1);
        Assert.Equal((ErrorCodes.None, (short)2), (retried.ErrorCode, retried.ProducerEpoch));
        Assert.Equal(ErrorCodes.ProducerFenced, (await InitAsync(coordinator, id, producerId: pid + 100, epoch: 0)).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidProducerEpoch, (await InitAsync(coordinator, id, producerId: pid + 100, epoch: 0, version: 3)).ErrorCode);
        Assert.Equal(ErrorCodes.InvalidRequest, (await InitAsync(coordinator, id, producerId: pid, epoch: -1)).ErrorCode);
    }

    [Fact]
    public async Task Transactions_and_producers_are_described_and_listed()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = 3 });
        await Clients.CreateTopicAsync(cluster, "described", partitions: 1);
        const string id = "tx-described";
        var coordinatorId = cluster.Groups.CoordinatorFor(id);
        var partition = cluster.State.Find("described")!.Partitions[0];
        await using var coordinator = await KafkaWireClient.ConnectAsync(cluster.EndPoints[coordinatorId]);
        await using var elsewhere = await KafkaWireClient.ConnectAsync(cluster.EndPoints[(coordinatorId + 1) % 3]);
        await using var leader = await KafkaWireClient.ConnectAsync(cluster.EndPoints[partition.Leader]);

        using var producer = new ProducerBuilder<string, string>(Transactional(cluster, id)).Build();
        producer.InitTransactions(ClientTimeout);
        ProduceInTransaction(producer, "described", "open", 3);

        // An id nobody initialised, but that this coordinator would own.
        var nobody = Enumerable.Range(0, 100).Select(i => $"nobody-{i}").First(n => cluster.Groups.CoordinatorFor(n) == coordinatorId);
        var described = await coordinator.SendAsync<DescribeTransactionsResponse>(
            new DescribeTransactionsRequest { TransactionalIds = [id, nobody, ""] }, 0);
        var open = described.TransactionStates[0];
        Assert.Equal((ErrorCodes.None, "Ongoing", 60_000, (short)0), (open.ErrorCode, open.TransactionState, open.TransactionTimeoutMs, open.ProducerEpoch));
        Assert.True(open.TransactionStartTimeMs > 0);
        var topic = Assert.Single(open.Topics);
        Assert.Equal(("described", 0), (topic.Topic, Assert.Single(topic.Partitions)));
        Assert.Equal(ErrorCodes.TransactionalIdNotFound, described.TransactionStates[1].ErrorCode);
        Assert.Equal(ErrorCodes.InvalidRequest, described.TransactionStates[2].ErrorCode);
        var misdirected = await elsewhere.SendAsync<DescribeTransactionsResponse>(new DescribeTransactionsRequest { TransactionalIds = [id] }, 0);
        Assert.Equal(ErrorCodes.NotCoordinator, Assert.Single(misdirected.TransactionStates).ErrorCode);

        var listed = await coordinator.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest { StateFilters = ["Ongoing", "Bogus"] }, 1);
        var entry = Assert.Single(listed.TransactionStates);
        Assert.Equal((id, open.ProducerId, "Ongoing"), (entry.TransactionalId, entry.ProducerId, entry.TransactionState));
        Assert.Equal(["Bogus"], listed.UnknownStateFilters);
        Assert.Empty((await coordinator.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest { ProducerIdFilters = [open.ProducerId + 1] }, 1)).TransactionStates);
        Assert.Empty((await coordinator.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest { DurationFilter = 3_600_000 }, 1)).TransactionStates);
        Assert.Single((await coordinator.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest { TransactionalIdPattern = "tx-desc.*" }, 2)).TransactionStates);
        Assert.Empty((await coordinator.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest { TransactionalIdPattern = "desc" }, 2)).TransactionStates);
        Assert.Empty((await elsewhere.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest(), 1)).TransactionStates);

        var producers = await DescribeProducerAsync(leader, "described");
        Assert.Equal((open.ProducerId, 0, 2, 0L), (producers.ProducerId, producers.ProducerEpoch, producers.LastSequence, producers.CurrentTxnStartOffset));

        producer.CommitTransaction(ClientTimeout);

        var committed = Assert.Single((await coordinator.SendAsync<DescribeTransactionsResponse>(new DescribeTransactionsRequest { TransactionalIds = [id] }, 0)).TransactionStates);
        Assert.Equal("CompleteCommit", committed.TransactionState);
        Assert.Empty(committed.Topics);
        Assert.Equal(-1L, (await DescribeProducerAsync(leader, "described")).CurrentTxnStartOffset);
    }

    private static async Task<(short Error, long Offset)> FetchOffsetAsync(KafkaWireClient connection, string groupId, string topic, bool requireStable)
    {
        var response = await connection.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = groupId,
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = topic, PartitionIndexes = [0] }],
            RequireStable = requireStable,
        }, 7);
        Assert.Equal(ErrorCodes.None, response.ErrorCode);
        var partition = Assert.Single(Assert.Single(response.Topics).Partitions);
        return (partition.ErrorCode, partition.CommittedOffset);
    }

    private static async Task<InitProducerIdResponse> InitAsync(KafkaWireClient connection, string transactionalId, int timeoutMs = 60_000,
        long producerId = -1, short epoch = -1, short version = 4) =>
        await connection.SendAsync<InitProducerIdResponse>(new InitProducerIdRequest
        {
            TransactionalId = transactionalId,
            TransactionTimeoutMs = timeoutMs,
            ProducerId = producerId,
            ProducerEpoch = epoch,
        }, version);

    private static async Task<Dictionary<(string, int), short>> AddPartitionsAsync(KafkaWireClient connection, string transactionalId, long producerId,
        short epoch, (string Topic, int Partition) partition, short version, params (string Topic, int Partition)[] more)
    {
        var request = new AddPartitionsToTxnRequest
        {
            V3AndBelowTransactionalId = transactionalId,
            V3AndBelowProducerId = producerId,
            V3AndBelowProducerEpoch = epoch,
            V3AndBelowTopics = [.. new[] { partition }.Concat(more).Select(p => new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = p.Topic, Partitions = [p.Partition] })],
        };
        var response = await connection.SendAsync<AddPartitionsToTxnResponse>(request, version);
        return response.ResultsByTopicV3AndBelow
            .SelectMany(t => t.ResultsByPartition.Select(p => ((t.Name, p.PartitionIndex), p.PartitionErrorCode)))
            .ToDictionary(r => r.Item1, r => r.PartitionErrorCode);
    }

    private static async Task<short[]> VerifyAsync(KafkaWireClient connection, string transactionalId, long producerId, short epoch, string topic, short version)
    {
        var response = await connection.SendAsync<AddPartitionsToTxnResponse>(new AddPartitionsToTxnRequest
        {
            Transactions =
            [
                new AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction
                {
                    TransactionalId = transactionalId,
                    ProducerId = producerId,
                    ProducerEpoch = epoch,
                    VerifyOnly = true,
                    Topics = [new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = topic, Partitions = [0, 1] }],
                },
            ],
        }, version);
        Assert.Equal(ErrorCodes.None, response.ErrorCode);
        var result = Assert.Single(response.ResultsByTransaction);
        Assert.Equal(transactionalId, result.TransactionalId);
        return [.. Assert.Single(result.TopicResults).ResultsByPartition.OrderBy(p => p.PartitionIndex).Select(p => p.PartitionErrorCode)];
    }

    private static async Task<short> EndAsync(KafkaWireClient connection, string transactionalId, long producerId, short epoch, bool commit, short version) =>
        (await connection.SendAsync<EndTxnResponse>(new EndTxnRequest
        {
            TransactionalId = transactionalId,
            ProducerId = producerId,
            ProducerEpoch = epoch,
            Committed = commit,
        }, version)).ErrorCode;

    private static async Task<DescribeProducersResponse.ProducerState> DescribeProducerAsync(KafkaWireClient leader, string topic)
    {
        var response = await leader.SendAsync<DescribeProducersResponse>(new DescribeProducersRequest
        {
            Topics = [new DescribeProducersRequest.TopicRequest { Name = topic, PartitionIndexes = [0] }],
        }, 0);
        var partition = Assert.Single(Assert.Single(response.Topics).Partitions);
        Assert.Equal(ErrorCodes.None, partition.ErrorCode);
        return Assert.Single(partition.ActiveProducers);
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
