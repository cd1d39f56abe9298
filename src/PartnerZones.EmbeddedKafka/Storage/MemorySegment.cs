namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>A segment held in memory: the batches as the producer sent them, base offsets patched.</summary>
internal sealed class MemorySegment(long baseOffset) : LogSegment(baseOffset)
{
    private readonly List<StoredBatch> _batches = [];

    private readonly record struct StoredBatch(long BaseOffset, long LastOffset, long MaxTimestamp, byte[] Bytes);

    public override void Append(byte[] batch, long baseOffset, long lastOffset, long maxTimestamp)
    {
        _batches.Add(new StoredBatch(baseOffset, lastOffset, maxTimestamp, batch));
        Track(lastOffset, maxTimestamp, batch.Length);
    }

    public override void Read(long offset, ReadCollector collector)
    {
        var i = FindBatch(offset);
        if (i < 0)
        {
            return;
        }

        for (; i < _batches.Count; i++)
        {
            var batch = _batches[i];
            if (!collector.Accepts(batch.BaseOffset, batch.Bytes.Length))
            {
                return;
            }

            collector.Add(batch.Bytes);
        }
    }

    /// <summary>The whole read when it starts in this segment and nothing follows it (the usual case in
    /// memory): one pass to size the result, one to copy, no intermediate list.</summary>
    public byte[] ReadTail(long offset, int maxBytes, long upTo)
    {
        var first = FindBatch(offset);
        if (first < 0 || _batches[first].BaseOffset >= upTo)
        {
            return [];
        }

        var total = 0;
        var end = first;
        while (end < _batches.Count && _batches[end].BaseOffset < upTo
               && (end == first || (long)total + _batches[end].Bytes.Length <= maxBytes))
        {
            total += _batches[end].Bytes.Length;
            end++;
        }

        var result = new byte[total];
        var at = 0;
        for (var i = first; i < end; i++)
        {
            var bytes = _batches[i].Bytes;
            Buffer.BlockCopy(bytes, 0, result, at, bytes.Length);
            at += bytes.Length;
        }

        return result;
    }

    public override IEnumerable<ReadOnlyMemory<byte>> Batches()
    {
        foreach (var batch in _batches)
        {
            yield return batch.Bytes;
        }
    }

    public override IEnumerable<BatchInfo> Headers()
    {
        foreach (var batch in _batches)
        {
            yield return new BatchInfo(batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp, -1, batch.Bytes.Length);
        }
    }

    public override long TrimBefore(long offset)
    {
        var count = 0;
        long freed = 0;
        while (count < _batches.Count && _batches[count].LastOffset < offset)
        {
            freed += _batches[count].Bytes.Length;
            count++;
        }

        if (count > 0)
        {
            _batches.RemoveRange(0, count);
            Size -= freed;
            BatchCount -= count;
        }

        return freed;
    }

    public override void Delete() => _batches.Clear();

    public override void Dispose()
    {
    }

    /// <summary>The batch holding <paramref name="offset"/>, else the first one after it, else -1.</summary>
    private int FindBatch(long offset)
    {
        int low = 0, high = _batches.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (_batches[mid].LastOffset < offset)
            {
                low = mid + 1;
            }
            else if (_batches[mid].BaseOffset > offset)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }

        return low < _batches.Count ? low : -1;
    }
}
