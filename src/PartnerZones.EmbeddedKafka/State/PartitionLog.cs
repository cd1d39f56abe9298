using System.Buffers.Binary;

namespace PartnerZones.EmbeddedKafka.State;

/// <summary>
/// An in-memory partition log of magic-2 record batches. Appends assign offsets by patching each
/// batch's base offset (outside the CRC-covered bytes, so the client's CRC stays valid).
/// </summary>
internal sealed class PartitionLog
{
    // Offsets into a batch header (Kafka message format v2).
    private const int BaseOffsetAt = 0;
    private const int LastOffsetDeltaAt = 23;
    private const int MaxTimestampAt = 35;

    private readonly List<StoredBatch> _batches = [];
    private readonly object _lock = new();
    private long _nextOffset;
    private long _logStartOffset;
    private long _sizeInBytes;

    private readonly record struct StoredBatch(long BaseOffset, long LastOffset, long MaxTimestamp, byte[] Bytes);

    /// <summary>Signalled whenever records are appended, to wake long-polling fetches.</summary>
    public event Action? Appended;

    public long LogEndOffset
    {
        get
        {
            lock (_lock)
            {
                return _nextOffset;
            }
        }
    }

    public long LogStartOffset
    {
        get
        {
            lock (_lock)
            {
                return _logStartOffset;
            }
        }
    }

    public long SizeInBytes
    {
        get
        {
            lock (_lock)
            {
                return _sizeInBytes;
            }
        }
    }

    /// <summary>Appends one validated batch (the caller checked magic, CRC and length) and returns its base
    /// offset. The log takes ownership of <paramref name="copy"/> and patches its base offset in place.</summary>
    public long Append(byte[] copy)
    {
        long baseOffset;
        lock (_lock)
        {
            baseOffset = _nextOffset;
            BinaryPrimitives.WriteInt64BigEndian(copy.AsSpan(BaseOffsetAt), baseOffset);
            var lastOffset = baseOffset + BinaryPrimitives.ReadInt32BigEndian(copy.AsSpan(LastOffsetDeltaAt));
            var maxTimestamp = BinaryPrimitives.ReadInt64BigEndian(copy.AsSpan(MaxTimestampAt));
            _batches.Add(new StoredBatch(baseOffset, lastOffset, maxTimestamp, copy));
            _nextOffset = lastOffset + 1;
            _sizeInBytes += copy.Length;
        }

        Appended?.Invoke();
        return baseOffset;
    }

    /// <summary>Whole batches starting with the one that holds <paramref name="offset"/>, up to
    /// <paramref name="maxBytes"/> (at least one batch, so a large batch is never stuck).</summary>
    public byte[] Read(long offset, int maxBytes, long upTo = long.MaxValue)
    {
        lock (_lock)
        {
            var first = FindBatch(offset);
            if (first < 0 || _batches[first].BaseOffset >= upTo)
            {
                return [];
            }

            var total = 0;
            var end = first;
            while (end < _batches.Count && _batches[end].BaseOffset < upTo
                   && (end == first || total + _batches[end].Bytes.Length <= maxBytes))
            {
                total += _batches[end].Bytes.Length;
                end++;
            }

            var result = new byte[total];
            var at = 0;
            for (var i = first; i < end; i++)
            {
                _batches[i].Bytes.CopyTo(result, at);
                at += _batches[i].Bytes.Length;
            }

            return result;
        }
    }

    /// <summary>First offset whose batch has a max timestamp at or after <paramref name="timestamp"/>, or null.</summary>
    public long? OffsetForTimestamp(long timestamp)
    {
        lock (_lock)
        {
            foreach (var batch in _batches)
            {
                if (batch.MaxTimestamp >= timestamp)
                {
                    return Math.Max(batch.BaseOffset, _logStartOffset);
                }
            }

            return null;
        }
    }

    /// <summary>Offset and timestamp of the batch with the largest max timestamp (ListOffsets MAX_TIMESTAMP).</summary>
    public (long Offset, long Timestamp)? MaxTimestamp()
    {
        lock (_lock)
        {
            (long, long)? best = null;
            foreach (var batch in _batches)
            {
                if (best is null || batch.MaxTimestamp > best.Value.Item2)
                {
                    best = (batch.LastOffset, batch.MaxTimestamp);
                }
            }

            return best;
        }
    }

    /// <summary>Moves the log start forward (DeleteRecords, retention); whole batches below it are dropped.</summary>
    public long DeleteBefore(long offset)
    {
        lock (_lock)
        {
            var target = Math.Min(offset, _nextOffset);
            if (target > _logStartOffset)
            {
                _logStartOffset = target;
                while (_batches.Count > 0 && _batches[0].LastOffset < target)
                {
                    _sizeInBytes -= _batches[0].Bytes.Length;
                    _batches.RemoveAt(0);
                }
            }

            return _logStartOffset;
        }
    }

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
