namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>Where a partition log keeps its segments: in memory, or as files in a partition directory.</summary>
internal abstract class SegmentStore
{
    public abstract LogSegment Create(long baseOffset, LogConfig config);

    /// <summary>A segment compaction writes into before it replaces <paramref name="baseOffset"/>'s segment.</summary>
    public abstract LogSegment CreateCleaned(long baseOffset, LogConfig config);

    /// <summary>Puts a cleaned segment in the place of the one it replaces, which is closed (not deleted: its
    /// name now belongs to the cleaned copy).</summary>
    public abstract void Promote(LogSegment cleaned, LogSegment replaced);

    /// <summary>fsync after every append (<see cref="FlushPolicy.EveryAppend"/>).</summary>
    public virtual bool FlushEveryAppend => false;

    /// <summary>fsync before acknowledging acks=-1 (<see cref="FlushPolicy.BeforeAcksAll"/>).</summary>
    public virtual bool FlushBeforeAcksAll => false;

    /// <summary>Records the log start offset so it survives a restart.</summary>
    public virtual void SaveLogStartOffset(long offset)
    {
    }

    /// <summary>Removes whatever the store keeps on disk (the topic was deleted); segments are already closed.</summary>
    public virtual void DeleteAll()
    {
    }
}

/// <summary>Segments in memory: nothing survives the process, nothing needs flushing.</summary>
internal sealed class MemorySegmentStore : SegmentStore
{
    public static readonly MemorySegmentStore Instance = new();

    public override LogSegment Create(long baseOffset, LogConfig config) => new MemorySegment(baseOffset);

    public override LogSegment CreateCleaned(long baseOffset, LogConfig config) => new MemorySegment(baseOffset);

    public override void Promote(LogSegment cleaned, LogSegment replaced) => replaced.Dispose();
}
