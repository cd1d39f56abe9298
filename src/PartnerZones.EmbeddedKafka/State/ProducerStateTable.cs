namespace PartnerZones.EmbeddedKafka.State;

/// <summary>
/// Producer state of one partition, as a Kafka partition leader keeps it: per producer id its epoch,
/// the sequence ranges of its last five batches (so a retried batch is acknowledged with its original
/// offset instead of being appended twice, and a gap is refused), and the first offset of its ongoing
/// transaction; plus the transactions aborted here, which read_committed fetches need.
/// Callers hold the partition's append lock.
/// </summary>
internal sealed class ProducerStateTable
{
    /// <summary>Kafka keeps five: a producer has at most five requests in flight per partition.</summary>
    private const int RememberedBatches = 5;

    private const short NoEpoch = -1;

    private readonly Dictionary<long, ProducerEntry> _producers = [];

    // In marker order, so their last offsets ascend.
    private readonly List<AbortedRange> _aborted = [];

    private sealed class ProducerEntry
    {
        public short Epoch { get; set; } = NoEpoch;

        public Queue<BatchRange> Recent { get; } = new();

        public int LastSequence { get; set; } = -1;

        public long? TransactionFirstOffset { get; set; }

        public long LastTimestamp { get; set; } = -1;

        public int CoordinatorEpoch { get; set; } = -1;

        /// <summary>A new epoch starts a new sequence space: the remembered batches belong to the old one.</summary>
        public void MoveToEpoch(short epoch)
        {
            if (Epoch != epoch)
            {
                Epoch = epoch;
                Recent.Clear();
                LastSequence = -1;
            }
        }
    }

    private readonly record struct BatchRange(int FirstSequence, int LastSequence, long BaseOffset);

    private readonly record struct AbortedRange(long ProducerId, long FirstOffset, long LastOffset);

    /// <summary>The outcome of checking a batch: append it, acknowledge it as a duplicate at
    /// <see cref="DuplicateOffset"/>, or refuse it with <see cref="ErrorCode"/>.</summary>
    public readonly record struct Check(short ErrorCode, long? DuplicateOffset);

    /// <summary>One producer's state, for DescribeProducers.</summary>
    public readonly record struct ProducerSnapshot(
        long ProducerId, short Epoch, int LastSequence, long LastTimestamp, int CoordinatorEpoch, long CurrentTransactionStartOffset);

    /// <summary>An aborted transaction: its producer, first data offset and abort marker offset.</summary>
    public readonly record struct AbortedTransaction(long ProducerId, long FirstOffset, long LastOffset);

    /// <summary>Checks a data batch from a client in the order Kafka does: a retry of a remembered batch
    /// first, then the epoch (an older one is fenced), then the sequence, then that a producer with an
    /// ongoing transaction here writes only transactional batches.</summary>
    public Check Validate(long producerId, short epoch, int firstSequence, int lastOffsetDelta, bool isTransactional)
    {
        if (producerId < 0)
        {
            return new Check(ErrorCodes.None, null);
        }

        _producers.TryGetValue(producerId, out var entry);
        var lastSequence = IncrementSequence(firstSequence, lastOffsetDelta);
        if (entry is not null && entry.Epoch == epoch && firstSequence >= 0)
        {
            foreach (var batch in entry.Recent)
            {
                if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
                {
                    return new Check(ErrorCodes.None, batch.BaseOffset);
                }
            }
        }

        var currentEpoch = entry?.Epoch ?? NoEpoch;
        if (epoch < currentEpoch)
        {
            return new Check(ErrorCodes.InvalidProducerEpoch, null);
        }

        if (firstSequence >= 0 && currentEpoch != NoEpoch)
        {
            // An unknown producer (no state here yet, or all of it gone with the log) may start at any
            // sequence, as in Kafka; a known one must continue where it stopped, or start a new epoch at 0.
            var inSequence = epoch != currentEpoch
                ? firstSequence == 0
                : firstSequence == entry!.LastSequence + 1L || (firstSequence == 0 && entry.LastSequence == int.MaxValue);
            if (!inSequence)
            {
                return new Check(ErrorCodes.OutOfOrderSequenceNumber, null);
            }
        }

        if (entry?.TransactionFirstOffset is not null && !isTransactional)
        {
            return new Check(ErrorCodes.InvalidTxnState, null);
        }

        return new Check(ErrorCodes.None, null);
    }

    /// <summary>Records an appended data batch; a transactional one opens the producer's transaction here.</summary>
    public void Record(long producerId, short epoch, int firstSequence, int lastOffsetDelta, long baseOffset, long maxTimestamp, bool isTransactional)
    {
        if (producerId < 0)
        {
            return;
        }

        var entry = Entry(producerId);
        entry.MoveToEpoch(epoch);
        if (firstSequence >= 0)
        {
            var lastSequence = IncrementSequence(firstSequence, lastOffsetDelta);
            entry.Recent.Enqueue(new BatchRange(firstSequence, lastSequence, baseOffset));
            entry.LastSequence = lastSequence;
            while (entry.Recent.Count > RememberedBatches)
            {
                entry.Recent.Dequeue();
            }
        }

        entry.LastTimestamp = maxTimestamp;
        if (isTransactional && entry.TransactionFirstOffset is null)
        {
            entry.TransactionFirstOffset = baseOffset;
        }
    }

    /// <summary>Whether the producer has written transactional batches here that no marker has ended yet.</summary>
    public bool HasOngoingTransaction(long producerId) =>
        _producers.TryGetValue(producerId, out var entry) && entry.TransactionFirstOffset is not null;

    /// <summary>A marker with an epoch older than the producer's current one is stale (the producer was
    /// fenced and its transaction already ended) and is not written.</summary>
    public bool AcceptsMarker(long producerId, short epoch) =>
        !_producers.TryGetValue(producerId, out var entry) || epoch >= entry.Epoch;

    /// <summary>Records a transaction marker written at <paramref name="markerOffset"/>: the producer's
    /// transaction here ends, and an abort is remembered for read_committed fetches. As in Kafka, an
    /// abort of a transaction that wrote nothing here is remembered too, spanning only its marker.</summary>
    public void RecordMarker(long producerId, short epoch, bool committed, long markerOffset, int coordinatorEpoch, long timestamp)
    {
        var entry = Entry(producerId);
        entry.MoveToEpoch(epoch);
        entry.CoordinatorEpoch = coordinatorEpoch;
        entry.LastTimestamp = timestamp;
        var firstOffset = entry.TransactionFirstOffset ?? markerOffset;
        entry.TransactionFirstOffset = null;
        if (!committed)
        {
            _aborted.Add(new AbortedRange(producerId, firstOffset, markerOffset));
        }
    }

    /// <summary>The first offset of the earliest transaction still undecided, or null when there is none.</summary>
    public long? FirstUnstableOffset
    {
        get
        {
            long? first = null;
            foreach (var entry in _producers.Values)
            {
                if (entry.TransactionFirstOffset is { } offset && (first is null || offset < first))
                {
                    first = offset;
                }
            }

            return first;
        }
    }

    /// <summary>Aborted transactions that overlap [<paramref name="from"/>, <paramref name="to"/>): those
    /// whose marker is at or after <paramref name="from"/> and whose first offset is before <paramref name="to"/>.</summary>
    public List<AbortedTransaction> AbortedBetween(long from, long to)
    {
        var result = new List<AbortedTransaction>();
        int low = 0, high = _aborted.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_aborted[mid].LastOffset < from)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        for (var i = low; i < _aborted.Count; i++)
        {
            var range = _aborted[i];
            if (range.FirstOffset < to)
            {
                result.Add(new AbortedTransaction(range.ProducerId, range.FirstOffset, range.LastOffset));
            }
        }

        return result;
    }

    public List<ProducerSnapshot> Snapshot()
    {
        var result = new List<ProducerSnapshot>(_producers.Count);
        foreach (var (producerId, entry) in _producers)
        {
            result.Add(new ProducerSnapshot(producerId, entry.Epoch, entry.LastSequence, entry.LastTimestamp,
                entry.CoordinatorEpoch, entry.TransactionFirstOffset ?? -1));
        }

        return result;
    }

    private ProducerEntry Entry(long producerId)
    {
        if (!_producers.TryGetValue(producerId, out var entry))
        {
            entry = new ProducerEntry();
            _producers[producerId] = entry;
        }

        return entry;
    }

    /// <summary>Sequences wrap from int.MaxValue to 0, as Kafka's do.</summary>
    private static int IncrementSequence(int sequence, int increment) =>
        sequence > int.MaxValue - increment ? increment - (int.MaxValue - sequence) - 1 : sequence + increment;
}
