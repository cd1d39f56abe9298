namespace PartnerZones.EmbeddedKafka.State;

/// <summary>
/// Idempotent-producer state of one partition: per producer id, its epoch and the last five batches'
/// sequence ranges. A retried batch is recognised and acknowledged with its original offset instead of
/// being appended twice; a gap in sequences is refused. Callers hold the partition's append lock.
/// </summary>
internal sealed class ProducerStateTable
{
    private const int RememberedBatches = 5;

    private readonly Dictionary<long, ProducerEntry> _producers = [];

    private sealed class ProducerEntry
    {
        public short Epoch { get; set; }

        public Queue<(int FirstSequence, int LastSequence, long BaseOffset)> Recent { get; } = new();

        public int LastSequence => Recent.Count == 0 ? -1 : Recent.Last().LastSequence;
    }

    /// <summary>The outcome of checking a batch: append it, acknowledge it as a duplicate at
    /// <see cref="DuplicateOffset"/>, or refuse it with <see cref="ErrorCode"/>.</summary>
    public readonly record struct Check(short ErrorCode, long? DuplicateOffset);

    public Check Validate(long producerId, short epoch, int firstSequence, int lastOffsetDelta)
    {
        if (producerId < 0 || firstSequence < 0)
        {
            return new Check(ErrorCodes.None, null);
        }

        if (!_producers.TryGetValue(producerId, out var entry))
        {
            return firstSequence == 0 ? new Check(ErrorCodes.None, null) : new Check(ErrorCodes.OutOfOrderSequenceNumber, null);
        }

        if (epoch < entry.Epoch)
        {
            return new Check(ErrorCodes.InvalidProducerEpoch, null);
        }

        if (epoch > entry.Epoch)
        {
            return firstSequence == 0 ? new Check(ErrorCodes.None, null) : new Check(ErrorCodes.OutOfOrderSequenceNumber, null);
        }

        var lastSequence = unchecked(firstSequence + lastOffsetDelta);
        foreach (var (first, last, baseOffset) in entry.Recent)
        {
            if (first == firstSequence && last == lastSequence)
            {
                return new Check(ErrorCodes.None, baseOffset);
            }
        }

        var expected = entry.LastSequence == int.MaxValue ? 0 : entry.LastSequence + 1;
        return firstSequence == expected ? new Check(ErrorCodes.None, null) : new Check(ErrorCodes.OutOfOrderSequenceNumber, null);
    }

    /// <summary>Records an appended batch of an idempotent producer.</summary>
    public void Record(long producerId, short epoch, int firstSequence, int lastOffsetDelta, long baseOffset)
    {
        if (producerId < 0 || firstSequence < 0)
        {
            return;
        }

        if (!_producers.TryGetValue(producerId, out var entry) || entry.Epoch != epoch)
        {
            entry = new ProducerEntry { Epoch = epoch };
            _producers[producerId] = entry;
        }

        entry.Recent.Enqueue((firstSequence, unchecked(firstSequence + lastOffsetDelta), baseOffset));
        while (entry.Recent.Count > RememberedBatches)
        {
            entry.Recent.Dequeue();
        }
    }
}
