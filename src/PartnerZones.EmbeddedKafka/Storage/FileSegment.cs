using System.Globalization;
using Microsoft.Win32.SafeHandles;
using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>Called with every whole, CRC-checked batch found while a segment is loaded.</summary>
internal delegate void BatchVisitor(ReadOnlySpan<byte> batch);

/// <summary>
/// A segment in two files named by its base offset (20 digits, as Kafka names them): NNN.log holds the
/// batches end to end exactly as fetched (magic-2, base offsets assigned), NNN.index the sparse offset
/// index. Appends go straight to the operating system (positional writes, no user-space buffer), so a
/// killed process loses nothing appended; <see cref="Flush"/> makes them durable against power loss.
/// </summary>
internal sealed class FileSegment : LogSegment
{
    public const string LogExtension = ".log";
    public const string IndexExtension = ".index";

    /// <summary>Suffix of a compacted copy not yet swapped in; one found at start-up is an interrupted clean.</summary>
    public const string CleanedSuffix = ".cleaned";

    private readonly SafeFileHandle _log;
    private readonly OffsetIndex _index;
    private readonly int _indexInterval;
    private long _bytesSinceIndexEntry;
    private bool _dirty;

    private FileSegment(long baseOffset, string logPath, SafeFileHandle log, OffsetIndex index, int indexInterval)
        : base(baseOffset)
    {
        LogPath = logPath;
        _log = log;
        _index = index;
        _indexInterval = indexInterval;
    }

    public string LogPath { get; private set; }

    public static string FileStem(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>Parses a segment file name ("00000000000000000042.log") into its base offset.</summary>
    public static bool TryParseName(string fileName, out long baseOffset)
    {
        baseOffset = -1;
        return fileName.Length == 20 + LogExtension.Length
            && fileName.EndsWith(LogExtension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }

    /// <summary>A new, empty segment (an existing file of that name is emptied).</summary>
    public static FileSegment Create(string directory, long baseOffset, int indexInterval, string suffix = "")
    {
        var stem = Path.Combine(directory, FileStem(baseOffset));
        var logPath = stem + LogExtension + suffix;
        var log = OwnerOnly.OpenHandle(logPath, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            return new FileSegment(baseOffset, logPath, log, OffsetIndex.Open(stem + IndexExtension + suffix, truncate: true), indexInterval);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing segment and checks every batch: framing, CRC-32C, offsets at or above
    /// <paramref name="minOffset"/>, increasing, and below <paramref name="maxNextOffset"/>. At the first
    /// batch that fails, the file is cut there (a torn tail is never served) and <paramref name="problem"/>
    /// says what was found. The index is rebuilt from the walk and rewritten when the file disagrees.
    /// </summary>
    public static FileSegment Recover(
        string directory, long baseOffset, int indexInterval, long minOffset, long maxNextOffset, BatchVisitor? onBatch, out string? problem)
    {
        var stem = Path.Combine(directory, FileStem(baseOffset));
        var logPath = stem + LogExtension;
        var log = OwnerOnly.OpenHandle(logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        FileSegment? segment = null;
        try
        {
            segment = new FileSegment(baseOffset, logPath, log, OffsetIndex.Open(stem + IndexExtension, truncate: false), indexInterval);
            var length = RandomAccess.GetLength(log);
            problem = null;
            var expected = Math.Max(minOffset, baseOffset);
            using (var reader = new BatchFileReader(log, 0, length, wholeBatches: true))
            {
                while (reader.MoveNext())
                {
                    var batch = reader.Current;
                    var first = BatchFields.BaseOffset(batch);
                    var delta = BatchFields.LastOffsetDelta(batch);
                    var last = first + delta;
                    if (first < expected || delta < 0 || last >= maxNextOffset)
                    {
                        problem = $"the batch at byte {reader.Position} has offsets {first}-{last}, outside the expected range from {expected} to {maxNextOffset - 1}";
                    }
                    else if (Crc32C.Compute(batch[BatchFields.CrcStart..]) != BatchFields.Crc(batch))
                    {
                        problem = $"the batch at byte {reader.Position} (offsets {first}-{last}) fails its CRC-32C check";
                    }

                    if (problem is not null)
                    {
                        break;
                    }

                    segment.Stored(first, last, BatchFields.MaxTimestamp(batch), reader.Position, reader.Size, indexInMemoryOnly: true);
                    onBatch?.Invoke(batch);
                    expected = last + 1;
                }

                problem ??= reader.Problem;
            }

            if (problem is not null)
            {
                RandomAccess.SetLength(log, segment.Size);
                RandomAccess.FlushToDisk(log);
            }

            segment._index.SyncFile();

            // The walk above counted as appends; the segment was really last written when its file was.
            segment.LastModifiedMs = new DateTimeOffset(File.GetLastWriteTimeUtc(logPath)).ToUnixTimeMilliseconds();
            return segment;
        }
        catch
        {
            if (segment is not null)
            {
                segment.Dispose();
            }
            else
            {
                log.Dispose();
            }

            throw;
        }
    }

    public override void Append(byte[] batch, long baseOffset, long lastOffset, long maxTimestamp)
    {
        RandomAccess.Write(_log, batch, Size);
        Stored(baseOffset, lastOffset, maxTimestamp, Size, batch.Length, indexInMemoryOnly: false);
        _dirty = true;
    }

    public override void Read(long offset, ReadCollector collector)
    {
        var (position, firstBase, firstSize) = Locate(offset);
        if (position < 0 || !collector.Accepts(firstBase, firstSize))
        {
            return;
        }

        // One read covers the first batch and as much after it as the budget allows; the walk below
        // trims it to whole batches.
        var want = Math.Min(Size - position, Math.Max(firstSize, collector.Budget));
        var buffer = new byte[(int)Math.Min(want, Array.MaxLength)];
        ReadExactly(buffer, position);
        var taken = 0;
        var refused = false;
        while (taken + BatchFields.LogOverhead <= buffer.Length)
        {
            var size = BatchFields.TotalSize(buffer.AsSpan(taken));
            if (taken + size > buffer.Length)
            {
                break;
            }

            if (taken > 0 && !collector.Accepts(BatchFields.BaseOffset(buffer.AsSpan(taken)), size))
            {
                refused = true;
                break;
            }

            taken += size;
        }

        collector.AddOwned(buffer, taken);
        if (!refused && position + taken < Size)
        {
            // The budget ran out inside this segment.
            collector.Stop();
        }
    }

    public override IEnumerable<ReadOnlyMemory<byte>> Batches()
    {
        using var reader = new BatchFileReader(_log, 0, Size, wholeBatches: true);
        while (reader.MoveNext())
        {
            yield return reader.CurrentMemory;
        }
    }

    public override IEnumerable<BatchInfo> Headers()
    {
        using var reader = new BatchFileReader(_log, 0, Size, wholeBatches: false);
        while (reader.MoveNext())
        {
            var header = reader.CurrentMemory;
            yield return new BatchInfo(
                BatchFields.BaseOffset(header.Span), BatchFields.LastOffset(header.Span), BatchFields.MaxTimestamp(header.Span), reader.Position, reader.Size);
        }
    }

    public override void Flush()
    {
        if (_dirty)
        {
            RandomAccess.FlushToDisk(_log);
            _dirty = false;
        }
    }

    /// <summary>Moves a cleaned copy's files over the names of the segment it replaces (rename is atomic,
    /// so a crash leaves either the old or the new log, both whole).</summary>
    public void PromoteTo(FileSegment replaced)
    {
        var logPath = replaced.LogPath;
        var indexPath = Path.ChangeExtension(logPath, IndexExtension);
        RandomAccess.FlushToDisk(_log);
        File.Move(LogPath, logPath, overwrite: true);
        LogPath = logPath;
        _index.MoveTo(indexPath);
    }

    public override void Delete()
    {
        Dispose();
        File.Delete(LogPath);
        File.Delete(_index.Path);
    }

    public override void Dispose()
    {
        _log.Dispose();
        _index.Dispose();
    }

    private void Stored(long baseOffset, long lastOffset, long maxTimestamp, long position, int size, bool indexInMemoryOnly)
    {
        if (BatchCount == 0 || _bytesSinceIndexEntry >= _indexInterval)
        {
            _index.Add(baseOffset - BaseOffset, position, indexInMemoryOnly);
            _bytesSinceIndexEntry = 0;
        }

        _bytesSinceIndexEntry += size;
        Track(lastOffset, maxTimestamp, size);
    }

    /// <summary>Position, base offset and size of the first batch whose last offset is at or after
    /// <paramref name="offset"/>; position -1 when there is none.</summary>
    private (long Position, long BaseOffset, int Size) Locate(long offset)
    {
        var start = offset <= BaseOffset ? 0 : _index.Lookup(offset - BaseOffset);
        using var reader = new BatchFileReader(_log, start, Size, wholeBatches: false);
        while (reader.MoveNext())
        {
            if (BatchFields.LastOffset(reader.Current) >= offset)
            {
                return (reader.Position, BatchFields.BaseOffset(reader.Current), reader.Size);
            }
        }

        return (-1, -1, 0);
    }

    private void ReadExactly(Span<byte> buffer, long position)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(_log, buffer[read..], position + read);
            if (n == 0)
            {
                throw new IOException($"Segment file '{LogPath}' ended at byte {position + read}, inside data the log holds.");
            }

            read += n;
        }
    }
}
