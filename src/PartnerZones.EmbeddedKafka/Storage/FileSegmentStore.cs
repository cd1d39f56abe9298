using System.Globalization;
using System.Text;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// Segment files of one partition in one directory, plus the log-start-offset checkpoint (the offset
/// below which DeleteRecords or retention removed records, which segment names alone do not tell).
/// </summary>
internal sealed class FileSegmentStore(string directory, FlushPolicy policy) : SegmentStore
{
    public const string LogStartFile = "log-start-offset";

    public string Directory { get; } = directory;

    public override bool FlushEveryAppend => policy == FlushPolicy.EveryAppend;

    public override bool FlushBeforeAcksAll => policy == FlushPolicy.BeforeAcksAll;

    public override LogSegment Create(long baseOffset, LogConfig config) =>
        FileSegment.Create(Directory, baseOffset, config.IndexIntervalBytes);

    public override LogSegment CreateCleaned(long baseOffset, LogConfig config) =>
        FileSegment.Create(Directory, baseOffset, config.IndexIntervalBytes, FileSegment.CleanedSuffix);

    public override void Promote(LogSegment cleaned, LogSegment replaced)
    {
        var fresh = (FileSegment)cleaned;
        var old = (FileSegment)replaced;
        fresh.PromoteTo(old);
        old.Dispose();
    }

    public override void SaveLogStartOffset(long offset) =>
        AtomicFile.Write(Path.Combine(Directory, LogStartFile), Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture) + "\n"));

    public override void DeleteAll()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>
    /// Opens every segment in the directory in offset order, checking each batch (see
    /// <see cref="FileSegment.Recover"/>). The first bad batch cuts the log there: the rest of its segment
    /// and every later segment are removed, so what remains is a whole, gap-free prefix. Leftovers of an
    /// interrupted compaction or checkpoint are removed. <paramref name="report"/> hears about every cut.
    /// </summary>
    public (List<LogSegment> Segments, long LogStartOffset) Load(LogConfig config, BatchVisitor? onBatch, Action<string>? report)
    {
        // The topic's directory and the partition's, 0700 (tightened when an older version made them 0755).
        OwnerOnly.Directory(System.IO.Path.GetDirectoryName(Directory)!);
        OwnerOnly.Directory(Directory);
        var bases = new List<long>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(FileSegment.CleanedSuffix, StringComparison.Ordinal) || name.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
            else if (FileSegment.TryParseName(name, out var baseOffset))
            {
                bases.Add(baseOffset);
            }
        }

        bases.Sort();
        var segments = new List<LogSegment>();
        try
        {
            var next = 0L;
            for (var i = 0; i < bases.Count; i++)
            {
                var upper = i + 1 < bases.Count ? bases[i + 1] : long.MaxValue;
                var segment = FileSegment.Recover(Directory, bases[i], config.IndexIntervalBytes, next, upper, onBatch, out var problem);
                if (segment.IsEmpty && i + 1 < bases.Count && problem is null)
                {
                    // An empty older segment holds nothing (compaction removes these; a crash may leave one).
                    segment.Delete();
                    continue;
                }

                segments.Add(segment);
                next = segment.NextOffset;
                if (problem is not null)
                {
                    report?.Invoke($"{segment.LogPath}: {problem}; the log is cut at offset {segment.NextOffset}");
                    for (var j = i + 1; j < bases.Count; j++)
                    {
                        var stem = Path.Combine(Directory, FileSegment.FileStem(bases[j]));
                        report?.Invoke($"{stem}{FileSegment.LogExtension}: removed, it follows the cut");
                        File.Delete(stem + FileSegment.LogExtension);
                        File.Delete(stem + FileSegment.IndexExtension);
                    }

                    break;
                }
            }

            var logStart = ReadLogStart();
            if (segments.Count == 0)
            {
                segments.Add(Create(Math.Max(0, logStart), config));
            }

            logStart = Math.Clamp(logStart, segments[0].BaseOffset, segments[^1].NextOffset);
            return (segments, logStart);
        }
        catch
        {
            foreach (var segment in segments)
            {
                segment.Dispose();
            }

            throw;
        }
    }

    private long ReadLogStart()
    {
        var path = Path.Combine(Directory, LogStartFile);
        if (!File.Exists(path))
        {
            return 0;
        }

        var text = File.ReadAllText(path).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new DataDirException(path, $"holds '{text}', not an offset; delete the file to start the log at its first segment");
    }
}
