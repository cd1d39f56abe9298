using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Transactions;

/// <summary>
/// Producer ids and the transaction coordinator of the whole cluster. Kafka spreads transactional ids
/// over coordinator nodes; the node for an id is <see cref="GroupCoordinator.CoordinatorFor"/>, and the
/// handlers refuse requests sent elsewhere. State changes follow Kafka's transaction coordinator: the
/// same states, the same checks in the same order, the same error codes (before any per-version
/// conversion, which the handlers do).
/// </summary>
/// <remarks>
/// Kafka answers EndTxn once the decision is logged and writes markers afterwards; here the markers are
/// written before the answer, so a transaction is PrepareCommit/PrepareAbort only while they are written.
/// Lock order: a partition's append lock may be held when this coordinator's lock is taken (a produce
/// verifying its transaction), never the other way round, so markers are written outside this lock.
/// </remarks>
internal sealed class TransactionCoordinator : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, TransactionMetadata> _transactions = new(StringComparer.Ordinal);
    private readonly ClusterState _state;
    private readonly GroupCoordinator _groups;
    private readonly int _maxTimeoutMs;
    private readonly int _checkIntervalMs;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _expiry;
    private readonly ProducerIdBlocks _producerIds;

    public TransactionCoordinator(ClusterState state, GroupCoordinator groups, int maxTimeoutMs, int checkIntervalMs, ProducerIdBlocks producerIds)
    {
        _producerIds = producerIds;
        _state = state;
        _groups = groups;
        _maxTimeoutMs = maxTimeoutMs;
        _checkIntervalMs = Math.Max(10, checkIntervalMs);
        _expiry = Task.Run(AbortTimedOutLoopAsync);
    }

    public readonly record struct InitResult(short ErrorCode, long ProducerId, short ProducerEpoch)
    {
        public static InitResult Error(short code) => new(code, -1, TransactionMetadata.NoEpoch);
    }

    /// <summary>A state snapshot of one transactional id, for DescribeTransactions and ListTransactions.</summary>
    public sealed record Description(
        string TransactionalId, long ProducerId, short ProducerEpoch, TransactionPhase Phase, int TimeoutMs, long StartTimeMs,
        List<(string Topic, int Partition)> Partitions);

    /// <summary>A new producer id, unique in the cluster and over the life of its data directory (ids of
    /// idempotent producers and transactional ids alike).</summary>
    public long NewProducerId() => _producerIds.Next();

    /// <summary>Kafka's rule: more than 0 and at most transaction.max.timeout.ms.</summary>
    public bool IsValidTimeout(int timeoutMs) => timeoutMs > 0 && timeoutMs <= _maxTimeoutMs;

    /// <summary>
    /// InitProducerId for a transactional id: a first call allocates a producer id at epoch 0; later calls
    /// bump the epoch (fencing every older producer of the id), rotating to a new producer id when the
    /// epoch is exhausted. An ongoing transaction is first aborted under a bumped epoch, and the caller is
    /// told CONCURRENT_TRANSACTIONS to retry, which bumps the epoch a second time. With
    /// <paramref name="expectedProducerId"/> (v3+, KIP-360) only the current producer may bump.
    /// </summary>
    public InitResult InitProducerId(string transactionalId, int timeoutMs, long expectedProducerId, short expectedEpoch)
    {
        var expected = expectedProducerId >= 0;
        TransactionOutcome? fence;
        lock (_lock)
        {
            if (!_transactions.TryGetValue(transactionalId, out var txn))
            {
                txn = new TransactionMetadata(transactionalId) { ProducerId = NewProducerId(), TimeoutMs = timeoutMs, LastUpdateMs = Now() };
                _transactions[transactionalId] = txn;
            }

            var knownProducer = txn.ProducerEpoch == TransactionMetadata.NoEpoch
                || expectedProducerId == txn.ProducerId
                || (expectedProducerId == txn.LastProducerId && TransactionMetadata.IsExhausted(expectedEpoch));
            if (expected && !knownProducer)
            {
                return InitResult.Error(ErrorCodes.ProducerFenced);
            }

            switch (txn.Phase)
            {
                case TransactionPhase.PrepareCommit or TransactionPhase.PrepareAbort or TransactionPhase.PrepareEpochFence:
                    return InitResult.Error(ErrorCodes.ConcurrentTransactions);

                case TransactionPhase.Ongoing:
                    if (txn.ProducerEpoch == short.MaxValue)
                    {
                        return InitResult.Error(ErrorCodes.ConcurrentTransactions);
                    }

                    txn.ProducerEpoch++;
                    txn.LastProducerEpoch = TransactionMetadata.NoEpoch;
                    fence = Decide(txn, commit: false);
                    break;

                default:
                    return BumpEpoch(txn, timeoutMs, expected, expectedEpoch);
            }
        }

        Complete(fence);
        return InitResult.Error(ErrorCodes.ConcurrentTransactions);
    }

    private InitResult BumpEpoch(TransactionMetadata txn, int timeoutMs, bool expected, short expectedEpoch)
    {
        if (txn.IsEpochExhausted && (!expected || expectedEpoch == txn.ProducerEpoch))
        {
            txn.LastProducerId = txn.ProducerId;
            txn.LastProducerEpoch = expected ? txn.ProducerEpoch : TransactionMetadata.NoEpoch;
            txn.ProducerId = NewProducerId();
            txn.ProducerEpoch = 0;
        }
        else if (!expected || txn.ProducerEpoch == TransactionMetadata.NoEpoch || expectedEpoch == txn.ProducerEpoch)
        {
            txn.LastProducerEpoch = expected ? txn.ProducerEpoch : TransactionMetadata.NoEpoch;
            txn.ProducerEpoch++;
        }
        else if (expectedEpoch != txn.LastProducerEpoch)
        {
            return InitResult.Error(ErrorCodes.ProducerFenced);
        }

        // Otherwise the producer retries a bump whose answer it lost: it gets the same id and epoch again.
        txn.TimeoutMs = timeoutMs;
        txn.Phase = TransactionPhase.Empty;
        txn.Partitions.Clear();
        txn.Offsets.Clear();
        txn.StartTimeMs = -1;
        txn.LastUpdateMs = Now();
        return new InitResult(ErrorCodes.None, txn.ProducerId, txn.ProducerEpoch);
    }

    /// <summary>AddPartitionsToTxn: begins the transaction if none is ongoing and adds the partitions.</summary>
    public short AddPartitions(string transactionalId, long producerId, short epoch, IEnumerable<(string Topic, int Partition)> partitions)
    {
        lock (_lock)
        {
            var (error, txn) = CheckProducer(transactionalId, producerId, epoch);
            if (error != ErrorCodes.None)
            {
                return error;
            }

            Begin(txn!);
            foreach (var partition in partitions)
            {
                txn!.Partitions.Add(partition);
            }

            return ErrorCodes.None;
        }
    }

    /// <summary>AddOffsetsToTxn: begins the transaction if none is ongoing and adds the group, whose
    /// offsets TxnOffsetCommit may then stage.</summary>
    public short AddOffsets(string transactionalId, long producerId, short epoch, string groupId)
    {
        lock (_lock)
        {
            var (error, txn) = CheckProducer(transactionalId, producerId, epoch);
            if (error != ErrorCodes.None)
            {
                return error;
            }

            Begin(txn!);
            if (!txn!.Offsets.ContainsKey(groupId))
            {
                txn.Offsets[groupId] = [];
            }

            return ErrorCodes.None;
        }
    }

    /// <summary>Whether a partition belongs to the producer's ongoing transaction (Kafka's verification of
    /// a transaction's first batch in a partition, KIP-890): NONE, or why not.</summary>
    public short VerifyPartition(string? transactionalId, long producerId, short epoch, string topic, int partition)
    {
        lock (_lock)
        {
            var (error, txn) = CheckVerification(transactionalId, producerId, epoch);
            if (error != ErrorCodes.None)
            {
                return error;
            }

            return txn!.Phase == TransactionPhase.Ongoing && txn.Partitions.Contains((topic, partition))
                ? ErrorCodes.None
                : ErrorCodes.TransactionAbortable;
        }
    }

    /// <summary>TxnOffsetCommit: stages offsets for a group added to the producer's ongoing transaction.
    /// They reach the group when the transaction commits and are dropped when it aborts.</summary>
    public short StageOffsets(string transactionalId, long producerId, short epoch, string groupId,
        IEnumerable<((string Topic, int Partition) Key, CommittedOffset Offset)> offsets)
    {
        lock (_lock)
        {
            var (error, txn) = CheckVerification(transactionalId, producerId, epoch);
            if (error != ErrorCodes.None)
            {
                return error;
            }

            if (txn!.Phase != TransactionPhase.Ongoing || !txn.Offsets.TryGetValue(groupId, out var staged))
            {
                return ErrorCodes.TransactionAbortable;
            }

            foreach (var (key, offset) in offsets)
            {
                staged[key] = offset;
            }

            txn.LastUpdateMs = Now();
            return ErrorCodes.None;
        }
    }

    /// <summary>Whether an ongoing transaction has staged an offset for this group and partition (an
    /// OffsetFetch that requires stable offsets must wait for it).</summary>
    public bool HasPendingOffset(string groupId, string topic, int partition)
    {
        lock (_lock)
        {
            foreach (var txn in _transactions.Values)
            {
                if (txn.Offsets.TryGetValue(groupId, out var staged) && staged.ContainsKey((topic, partition)))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>EndTxn: commits or aborts the ongoing transaction. A retry after it completed the same way
    /// succeeds again; the opposite decision is INVALID_TXN_STATE.</summary>
    public short EndTransaction(string transactionalId, long producerId, short epoch, bool commit)
    {
        TransactionOutcome outcome;
        lock (_lock)
        {
            if (transactionalId.Length == 0)
            {
                return ErrorCodes.InvalidRequest;
            }

            if (!_transactions.TryGetValue(transactionalId, out var txn) || txn.ProducerId != producerId)
            {
                return ErrorCodes.InvalidProducerIdMapping;
            }

            if (txn.ProducerEpoch != epoch)
            {
                return ErrorCodes.ProducerFenced;
            }

            switch (txn.Phase)
            {
                case TransactionPhase.Ongoing:
                    outcome = Decide(txn, commit);
                    break;
                case TransactionPhase.CompleteCommit:
                    return commit ? ErrorCodes.None : ErrorCodes.InvalidTxnState;
                case TransactionPhase.CompleteAbort:
                    return commit ? ErrorCodes.InvalidTxnState : ErrorCodes.None;
                case TransactionPhase.PrepareCommit:
                    return commit ? ErrorCodes.ConcurrentTransactions : ErrorCodes.InvalidTxnState;
                case TransactionPhase.PrepareAbort:
                    return commit ? ErrorCodes.InvalidTxnState : ErrorCodes.ConcurrentTransactions;
                case TransactionPhase.PrepareEpochFence:
                    return ErrorCodes.ConcurrentTransactions;
                default:
                    return ErrorCodes.InvalidTxnState;
            }
        }

        Complete(outcome);
        return ErrorCodes.None;
    }

    public Description? Describe(string transactionalId)
    {
        lock (_lock)
        {
            return _transactions.TryGetValue(transactionalId, out var txn) ? Snapshot(txn) : null;
        }
    }

    public List<Description> All()
    {
        lock (_lock)
        {
            return [.. _transactions.Values.Select(Snapshot)];
        }
    }

    private static Description Snapshot(TransactionMetadata txn) =>
        new(txn.TransactionalId, txn.ProducerId, txn.ProducerEpoch, txn.Phase, txn.TimeoutMs, txn.StartTimeMs, [.. txn.Partitions]);

    /// <summary>The checks AddPartitionsToTxn and AddOffsetsToTxn share, in Kafka's order.</summary>
    private (short Error, TransactionMetadata? Txn) CheckProducer(string transactionalId, long producerId, short epoch)
    {
        if (transactionalId.Length == 0)
        {
            return (ErrorCodes.InvalidRequest, null);
        }

        if (!_transactions.TryGetValue(transactionalId, out var txn) || txn.ProducerId != producerId)
        {
            return (ErrorCodes.InvalidProducerIdMapping, null);
        }

        if (txn.ProducerEpoch != epoch)
        {
            return (ErrorCodes.ProducerFenced, null);
        }

        if (txn.Phase is TransactionPhase.PrepareCommit or TransactionPhase.PrepareAbort or TransactionPhase.PrepareEpochFence)
        {
            return (ErrorCodes.ConcurrentTransactions, null);
        }

        return (ErrorCodes.None, txn);
    }

    /// <summary>The checks of a verification (produce, TxnOffsetCommit), in Kafka's order.</summary>
    private (short Error, TransactionMetadata? Txn) CheckVerification(string? transactionalId, long producerId, short epoch)
    {
        if (transactionalId is not { Length: > 0 })
        {
            return (ErrorCodes.InvalidRequest, null);
        }

        if (!_transactions.TryGetValue(transactionalId, out var txn) || txn.ProducerId != producerId)
        {
            return (ErrorCodes.InvalidProducerIdMapping, null);
        }

        if (txn.ProducerEpoch != epoch)
        {
            return (ErrorCodes.ProducerFenced, null);
        }

        if (txn.Phase is TransactionPhase.PrepareCommit or TransactionPhase.PrepareAbort or TransactionPhase.PrepareEpochFence)
        {
            return (ErrorCodes.ConcurrentTransactions, null);
        }

        return (ErrorCodes.None, txn);
    }

    private static void Begin(TransactionMetadata txn)
    {
        var now = Now();
        if (txn.Phase != TransactionPhase.Ongoing)
        {
            txn.Phase = TransactionPhase.Ongoing;
            txn.StartTimeMs = now;
        }

        txn.LastUpdateMs = now;
    }

    /// <summary>Moves an ongoing transaction to PrepareCommit/PrepareAbort and copies out what its markers need.</summary>
    private static TransactionOutcome Decide(TransactionMetadata txn, bool commit)
    {
        txn.Phase = commit ? TransactionPhase.PrepareCommit : TransactionPhase.PrepareAbort;
        txn.LastUpdateMs = Now();
        return new TransactionOutcome(
            txn.TransactionalId,
            txn.ProducerId,
            txn.ProducerEpoch,
            commit,
            [.. txn.Partitions],
            [.. txn.Offsets.Select(g => (g.Key, new Dictionary<(string, int), CommittedOffset>(g.Value)))]);
    }

    /// <summary>Writes the markers (outside the lock), then completes the transaction.</summary>
    private void Complete(TransactionOutcome outcome)
    {
        TransactionMarkerWriter.Write(_state, _groups, outcome);
        lock (_lock)
        {
            if (_transactions.TryGetValue(outcome.TransactionalId, out var txn))
            {
                txn.Phase = outcome.Committed ? TransactionPhase.CompleteCommit : TransactionPhase.CompleteAbort;
                txn.Partitions.Clear();
                txn.Offsets.Clear();
                txn.LastUpdateMs = Now();
            }
        }
    }

    /// <summary>Aborts, as Kafka's coordinator does, every transaction ongoing for longer than its timeout,
    /// bumping the producer's epoch first so the producer is fenced rather than left writing into a
    /// transaction that no longer exists.</summary>
    public void AbortTimedOutTransactions()
    {
        var expired = new List<TransactionOutcome>();
        lock (_lock)
        {
            var now = Now();
            foreach (var txn in _transactions.Values)
            {
                if (txn.Phase == TransactionPhase.Ongoing && txn.StartTimeMs + txn.TimeoutMs < now && txn.ProducerEpoch < short.MaxValue)
                {
                    txn.ProducerEpoch++;
                    txn.LastProducerEpoch = TransactionMetadata.NoEpoch;
                    expired.Add(Decide(txn, commit: false));
                }
            }
        }

        foreach (var outcome in expired)
        {
            Complete(outcome);
        }
    }

    private async Task AbortTimedOutLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_checkIntervalMs, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            AbortTimedOutTransactions();
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _expiry.ConfigureAwait(false);
        _stop.Dispose();
    }
}
