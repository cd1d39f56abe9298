using System.Buffers.Binary;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.State;

/// <summary>
/// A partition log of magic-2 record batches, in segments held in memory or in files (see
/// <see cref="SegmentStore"/>). Appends assign offsets by patching each batch's base offset (outside the
/// CRC-covered bytes, so the client's CRC stays valid) and go to the last (active) segment, which rolls
/// at segment.bytes or segment.ms. Retention drops whole old segments; compaction rewrites older ones.
/// </summary>
internal sealed class PartitionLog : IDisposable
{
    // Offsets into a batch header, from the protocol library's one definition of the layout.
    private const int BaseOffsetAt = PartnerZones.Protocol.Records.RecordBatchLayout.BaseOffset;
    private const int LastOffsetDeltaAt = PartnerZones.Protocol.Records.RecordBatchLayout.LastOffsetDelta;
    private const int MaxTimestampAt = PartnerZones.Protocol.Records.RecordBatchLayout.MaxTimestamp;

    private readonly object _lock = new();

    // Held by whatever removes or replaces segments (retention, DeleteRecords, compaction), so the
    // cleaner may read older segments outside _lock without them vanishing underneath it.
    private readonly object _maintenanceLock = new();
    private readonly SegmentStore _store;
    private readonly bool _flushEveryAppend;
    private readonly List<LogSegment> _segments = [];
    private readonly ReadCollector _collector = new();
    private long _nextOffset;
    private long _logStartOffset;
    private long _sizeInBytes;
    private bool _closed;
    private bool _dirty;
    private LogConfig _config;

    // Compaction bookkeeping: the active segment's base when compaction last ran (segments below it were
    // cleaned), and when the earliest kept tombstone falls due.
    private long _compactedBelow = -1;
    private long _nextTombstoneExpiry = long.MaxValue;

    /// <summary>An in-memory log with Kafka's default topic configs.</summary>
    public PartitionLog()
        : this(LogConfig.Default)
    {
    }

    /// <summary>An in-memory log.</summary>
    public PartitionLog(LogConfig config)
        : this(MemorySegmentStore.Instance, config)
    {
        _segments.Add(_store.Create(0, config));
    }

    private PartitionLog(SegmentStore store, LogConfig config)
    {
        _store = store;
        _flushEveryAppend = store.FlushEveryAppend;
        _config = config;
    }

    /// <summary>Signalled whenever records are appended, to wake long-polling fetches.</summary>
    public event Action? Appended;

    /// <summary>The topic configs the log acts on; replace it when they change.</summary>
    public LogConfig Config
    {
        get => Volatile.Read(ref _config);
        set => Volatile.Write(ref _config, value);
    }

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

    /// <summary>Base offset of the active segment: appends go there, compaction leaves it alone.</summary>
    public long ActiveSegmentBase
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count == 0 ? _nextOffset : _segments[^1].BaseOffset;
            }
        }
    }

    public int SegmentCount
    {
        get
        {
            lock (_lock)
            {
                return _segments.Count;
            }
        }
    }

    /// <summary>A new log with no segments yet in <paramref name="store"/>, or the one found there, every
    /// batch checked and a torn tail cut (see <see cref="FileSegmentStore.Load"/>). <paramref name="onBatch"/>
    /// sees every batch kept, in order (producer state is rebuilt from it).</summary>
    public static PartitionLog Open(FileSegmentStore store, LogConfig config, BatchVisitor? onBatch = null, Action<string>? report = null)
    {
        var (segments, logStart) = store.Load(config, onBatch, report);
        var log = new PartitionLog(store, config);
        log._segments.AddRange(segments);
        log._nextOffset = segments[^1].NextOffset;
        log._logStartOffset = logStart;
        foreach (var segment in segments)
        {
            log._sizeInBytes += segment.Size;
        }

        return log;
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
            if (!_closed)
            {
                var active = ActiveSegment();
                var config = _config;
                if (!active.IsEmpty && (active.Size + copy.Length > config.SegmentBytes || maxTimestamp - active.FirstTimestamp > config.SegmentMs))
                {
                    active = Roll();
                }

                active.Append(copy, baseOffset, lastOffset, maxTimestamp);
                _sizeInBytes += copy.Length;
                if (_flushEveryAppend)
                {
                    active.Flush();
                }
                else
                {
                    _dirty = true;
                }
            }

            // A closed log belongs to a deleted topic: a produce racing the delete is acknowledged and dropped.
            _nextOffset = lastOffset + 1;
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
            if (_closed || offset >= _nextOffset)
            {
                return [];
            }

            var first = SegmentFor(offset);
            if (first == _segments.Count - 1 && _segments[first] is MemorySegment tail)
            {
                return tail.ReadTail(offset, maxBytes, upTo);
            }

            _collector.Reset(maxBytes, upTo);
            for (var i = first; i < _segments.Count && !_collector.Stopped; i++)
            {
                _segments[i].Read(offset, _collector);
            }

            return _collector.ToArray();
        }
    }

    /// <summary>First offset whose batch has a max timestamp at or after <paramref name="timestamp"/>, or null.</summary>
    public long? OffsetForTimestamp(long timestamp)
    {
        lock (_lock)
        {
            foreach (var segment in _segments)
            {
                if (segment.IsEmpty || segment.MaxTimestamp < timestamp || segment.NextOffset <= _logStartOffset)
                {
                    continue;
                }

                foreach (var batch in segment.Headers())
                {
                    if (batch.LastOffset >= _logStartOffset && batch.MaxTimestamp >= timestamp)
                    {
                        return Math.Max(batch.BaseOffset, _logStartOffset);
                    }
                }
            }

            return null;
        }
    }

    /// <summary>
    /// ListOffsets v0's answer, as Kafka 3.x computes it: the candidates are each segment's base offset (at
    /// least the log start) paired with the segment's last-modified time, plus the log end offset paired with
    /// now when the active segment holds data. Latest (-1) starts at the last candidate, earliest (-2) at the
    /// first (and so yields one offset), a time at the last candidate modified at or before it (none when
    /// every segment is newer). From there up to <paramref name="maxNumOffsets"/> offsets, newest first.
    /// </summary>
    public List<long> LegacyOffsetsBefore(long timestamp, int maxNumOffsets)
    {
        lock (_lock)
        {
            var candidates = new List<(long Offset, long Modified)>(_segments.Count + 1);
            foreach (var segment in _segments)
            {
                candidates.Add((Math.Max(segment.BaseOffset, _logStartOffset), segment.LastModifiedMs));
            }

            if (!ActiveSegment().IsEmpty)
            {
                candidates.Add((_nextOffset, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            }

            var start = timestamp switch
            {
                -1 => candidates.Count - 1,
                -2 => 0,
                _ => candidates.FindLastIndex(c => c.Modified <= timestamp),
            };
            // Candidates only grow from first to last, so walking back gives Kafka's newest-first order.
            var offsets = new List<long>();
            for (var i = start; i >= 0 && offsets.Count < maxNumOffsets; i--)
            {
                offsets.Add(candidates[i].Offset);
            }

            return offsets;
        }
    }

    /// <summary>Offset and timestamp of the batch with the largest max timestamp (ListOffsets MAX_TIMESTAMP).</summary>
    public (long Offset, long Timestamp)? MaxTimestamp()
    {
        lock (_lock)
        {
            (long Offset, long Timestamp)? best = null;
            foreach (var segment in _segments)
            {
                if (segment.IsEmpty || segment.NextOffset <= _logStartOffset)
                {
                    continue;
                }

                if (segment.BaseOffset >= _logStartOffset)
                {
                    if (best is null || segment.MaxTimestamp > best.Value.Timestamp)
                    {
                        best = (segment.OffsetOfMaxTimestamp, segment.MaxTimestamp);
                    }

                    continue;
                }

                // The log start lies inside this segment: batches below it no longer count.
                foreach (var batch in segment.Headers())
                {
                    if (batch.LastOffset >= _logStartOffset && (best is null || batch.MaxTimestamp > best.Value.Timestamp))
                    {
                        best = (batch.LastOffset, batch.MaxTimestamp);
                    }
                }
            }

            return best;
        }
    }

    /// <summary>Moves the log start forward (DeleteRecords); whole batches below it are dropped where the
    /// storage allows, whole segments below it always.</summary>
    public long DeleteBefore(long offset)
    {
        lock (_maintenanceLock)
        {
            lock (_lock)
            {
                var target = Math.Min(offset, _nextOffset);
                if (target > _logStartOffset && !_closed)
                {
                    _logStartOffset = target;
                    while (_segments.Count > 1 && _segments[1].BaseOffset <= target)
                    {
                        RemoveOldestSegment();
                    }

                    _sizeInBytes -= _segments[0].TrimBefore(target);
                    _store.SaveLogStartOffset(target);
                }

                return _logStartOffset;
            }
        }
    }

    /// <summary>Called before acknowledging a produce with acks=-1: fsyncs what was appended when the
    /// flush policy asks for it (<see cref="FlushPolicy.BeforeAcksAll"/>).</summary>
    public void EnsureDurable()
    {
        if (_store.FlushBeforeAcksAll)
        {
            Flush();
        }
    }

    /// <summary>Forces appended data to stable storage (no-op in memory).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_dirty && !_closed)
            {
                ActiveSegment().Flush();
                _dirty = false;
            }
        }
    }

    /// <summary>Retention (delete policy) and compaction (compact policy), as the cleaner timer runs them.</summary>
    public void RunCleanup(long nowMs)
    {
        var config = Config;
        if (config.Delete)
        {
            ApplyRetention(nowMs);
        }

        if (config.Compact)
        {
            Compact(nowMs);
        }
    }

    /// <summary>Drops old segments past retention.ms (by their largest timestamp) or past retention.bytes
    /// (oldest first, while what remains is still at or above the limit). An expired active segment is
    /// rolled first so it can go too. The log start moves to the first segment left.</summary>
    public void ApplyRetention(long nowMs)
    {
        var config = Config;
        lock (_maintenanceLock)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }

                var removed = false;
                if (config.RetentionMs >= 0)
                {
                    var cutoff = nowMs - config.RetentionMs;
                    // A segment without timestamps (max -1) never expires by time, as it has no age to judge.
                    while (!_segments[0].IsEmpty && _segments[0].MaxTimestamp >= 0 && _segments[0].MaxTimestamp < cutoff)
                    {
                        if (_segments.Count == 1)
                        {
                            Roll();
                        }

                        RemoveOldestSegment();
                        removed = true;
                    }
                }

                if (config.RetentionBytes >= 0)
                {
                    var excess = _sizeInBytes - config.RetentionBytes;
                    while (_segments.Count > 1 && excess - _segments[0].Size >= 0)
                    {
                        excess -= _segments[0].Size;
                        RemoveOldestSegment();
                        removed = true;
                    }
                }

                if (removed && _segments[0].BaseOffset > _logStartOffset)
                {
                    _logStartOffset = _segments[0].BaseOffset;
                    _store.SaveLogStartOffset(_logStartOffset);
                }
            }
        }
    }

    /// <summary>
    /// Keeps only the latest record per key in the segments before the active one (see
    /// <see cref="LogCompactor"/>). Runs when a segment rolled since the last pass or a kept tombstone
    /// has come due. The work happens outside the log lock; only the swap takes it.
    /// </summary>
    public void Compact(long nowMs)
    {
        lock (_maintenanceLock)
        {
            List<LogSegment> closed;
            LogConfig config;
            long activeBase;
            lock (_lock)
            {
                activeBase = ActiveSegment().BaseOffset;
                if (_closed || _segments.Count < 2 || (activeBase == _compactedBelow && nowMs < _nextTombstoneExpiry))
                {
                    return;
                }

                closed = _segments.GetRange(0, _segments.Count - 1);
                config = _config;
            }

            var result = LogCompactor.Clean(closed, _store, config, nowMs);
            lock (_lock)
            {
                _compactedBelow = activeBase;
                _nextTombstoneExpiry = result.NextTombstoneExpiry;
                foreach (var (old, cleaned) in result.Replacements)
                {
                    var at = _segments.IndexOf(old);
                    if (_closed || at < 0)
                    {
                        cleaned?.Delete();
                        continue;
                    }

                    _sizeInBytes -= old.Size;
                    if (cleaned is null)
                    {
                        _segments.RemoveAt(at);
                        old.Delete();
                    }
                    else
                    {
                        // Kafka's cleaner keeps the replaced segment's modification time (ListOffsets v0 reads it).
                        cleaned.LastModifiedMs = old.LastModifiedMs;
                        _store.Promote(cleaned, old);
                        _segments[at] = cleaned;
                        _sizeInBytes += cleaned.Size;
                    }
                }
            }
        }
    }

    /// <summary>Flushes and closes every segment; later appends are dropped and reads return nothing.</summary>
    public void Dispose()
    {
        lock (_maintenanceLock)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
                foreach (var segment in _segments)
                {
                    segment.Flush();
                    segment.Dispose();
                }
            }
        }
    }

    /// <summary>Closes the log and removes its data (the topic was deleted).</summary>
    public void DeleteAll()
    {
        lock (_maintenanceLock)
        {
            lock (_lock)
            {
                _closed = true;
                foreach (var segment in _segments)
                {
                    segment.Dispose();
                }

                _segments.Clear();
                _sizeInBytes = 0;
                _store.DeleteAll();
            }
        }
    }

    private LogSegment ActiveSegment() => _segments[^1];

    /// <summary>Closes the active segment (durably) and starts a new one at the log end.</summary>
    private LogSegment Roll()
    {
        ActiveSegment().Flush();
        var next = _store.Create(_nextOffset, _config);
        _segments.Add(next);
        return next;
    }

    private void RemoveOldestSegment()
    {
        var oldest = _segments[0];
        _segments.RemoveAt(0);
        _sizeInBytes -= oldest.Size;
        oldest.Delete();
    }

    /// <summary>The segment holding <paramref name="offset"/>: the last whose base is at or below it (or the first).</summary>
    private int SegmentFor(long offset)
    {
        int low = 0, high = _segments.Count - 1, found = 0;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (_segments[mid].BaseOffset <= offset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }
}
