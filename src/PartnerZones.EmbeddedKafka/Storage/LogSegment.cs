namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// A contiguous run of a partition log's batches, starting at <see cref="BaseOffset"/>. Only the last
/// segment of a log (the active one) is appended to; older ones change only by compaction, which
/// replaces them whole. Every member is called under the owning log's lock, except that the cleaner
/// reads older (immutable) segments outside it.
/// </summary>
internal abstract class LogSegment : IDisposable
{
    protected LogSegment(long baseOffset)
    {
        BaseOffset = baseOffset;
        NextOffset = baseOffset;
    }

    public long BaseOffset { get; }

    /// <summary>The offset after this segment's last batch; <see cref="BaseOffset"/> while empty.</summary>
    public long NextOffset { get; private set; }

    public long Size { get; protected set; }

    public int BatchCount { get; protected set; }

    public bool IsEmpty => BatchCount == 0;

    /// <summary>The max timestamp of the first batch: segment.ms counts from it (as Kafka does).</summary>
    public long FirstTimestamp { get; private set; } = -1;

    /// <summary>Largest batch max timestamp, and the last offset of the first batch that has it.</summary>
    public long MaxTimestamp { get; private set; } = -1;

    public long OffsetOfMaxTimestamp { get; private set; } = -1;

    /// <summary>Wall-clock time (ms) the segment was created or last appended to, as Kafka reads a segment
    /// file's modification time. ListOffsets v0 answers timestamp lookups from it, not from record timestamps.</summary>
    public long LastModifiedMs { get; set; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Appends one batch whose base offset is already set (to <paramref name="baseOffset"/>); the segment owns <paramref name="batch"/>.</summary>
    public abstract void Append(byte[] batch, long baseOffset, long lastOffset, long maxTimestamp);

    /// <summary>Adds whole batches to <paramref name="collector"/>, from the one that holds <paramref name="offset"/>
    /// (or the first one after it), until the collector refuses one or the segment ends.</summary>
    public abstract void Read(long offset, ReadCollector collector);

    /// <summary>Every batch in order. A yielded memory may be reused for the next batch: copy what you keep.</summary>
    public abstract IEnumerable<ReadOnlyMemory<byte>> Batches();

    /// <summary>Header facts of every batch in order, without reading record bytes where avoidable.</summary>
    public abstract IEnumerable<BatchInfo> Headers();

    /// <summary>Forces written bytes to stable storage (no-op in memory).</summary>
    public virtual void Flush()
    {
    }

    /// <summary>Drops whole batches entirely below <paramref name="offset"/> from the front, where the storage
    /// allows it (memory does; a file keeps them until the whole segment goes). Returns the bytes freed.</summary>
    public virtual long TrimBefore(long offset) => 0;

    /// <summary>Closes the segment and removes its data for good.</summary>
    public abstract void Delete();

    public abstract void Dispose();

    /// <summary>Updates the summary fields for a batch just stored.</summary>
    protected void Track(long lastOffset, long maxTimestamp, int size)
    {
        if (BatchCount == 0)
        {
            FirstTimestamp = maxTimestamp;
        }

        if (BatchCount == 0 || maxTimestamp > MaxTimestamp)
        {
            MaxTimestamp = maxTimestamp;
            OffsetOfMaxTimestamp = lastOffset;
        }

        BatchCount++;
        Size += size;
        NextOffset = lastOffset + 1;
        LastModifiedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    }
}
