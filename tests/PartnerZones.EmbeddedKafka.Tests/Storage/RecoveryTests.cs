using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>
/// A torn or corrupt tail is found when a log is opened and cut before it could be served: a segment
/// truncated mid-batch, a flipped byte in the last batch, zeros after the last batch, a corrupt batch in
/// an older segment (which also removes every later segment). The log keeps working after the cut.
/// </summary>
public sealed class RecoveryTests
{
    private const long Start = 1_700_000_000_000;

    private static readonly LogConfig Small = LogFactory.Config(("segment.bytes", 800), ("index.interval.bytes", 100));

    [Fact]
    public void Segment_truncated_mid_batch_is_cut_to_the_last_whole_batch_and_appends_continue()
    {
        using var dir = new TempDirectory();
        var (lastBatchBase, before) = Write(dir.Path, batches: 40);
        var segment = LogFactory.SegmentFiles(dir.Path)[^1];
        var length = new FileInfo(segment).Length;
        using (var file = File.OpenWrite(segment))
        {
            file.SetLength(length - 7);
        }

        var reports = new List<string>();
        using var log = LogFactory.OpenFile(dir.Path, Small, reports: reports);
        Assert.Equal(lastBatchBase, log.LogEndOffset);
        Assert.Contains(reports, r => r.Contains("claims", StringComparison.Ordinal) && r.Contains(segment, StringComparison.Ordinal));
        Assert.Equal(before.Where(r => r.Offset < lastBatchBase), TestBatches.ReadAll(log));
        Assert.True(new FileInfo(segment).Length < length - 7, "the partial batch must be cut from the file");

        Assert.Equal(lastBatchBase, log.Append(TestBatches.Values("new", 2, Start)));
        var after = TestBatches.ReadAll(log);
        Assert.Equal(Enumerable.Range(0, (int)lastBatchBase + 2).Select(i => (long)i), after.Select(r => r.Offset));
        Assert.Equal(["new-0", "new-1"], after.TakeLast(2).Select(r => r.Value));
    }

    [Fact]
    public void Flipped_byte_in_the_last_batch_fails_its_crc_and_the_batch_is_cut()
    {
        using var dir = new TempDirectory();
        var (lastBatchBase, before) = Write(dir.Path, batches: 40);
        var segment = LogFactory.SegmentFiles(dir.Path)[^1];
        var bytes = File.ReadAllBytes(segment);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(segment, bytes);

        var reports = new List<string>();
        using var log = LogFactory.OpenFile(dir.Path, Small, reports: reports);
        Assert.Equal(lastBatchBase, log.LogEndOffset);
        Assert.Contains(reports, r => r.Contains("CRC-32C", StringComparison.Ordinal));
        Assert.Equal(before.Where(r => r.Offset < lastBatchBase), TestBatches.ReadAll(log));
        Assert.Equal(lastBatchBase, log.Append(TestBatches.Values("new", 1, Start)));
    }

    [Fact]
    public void Zeros_after_the_last_batch_are_cut_and_no_batch_is_lost()
    {
        using var dir = new TempDirectory();
        var (_, before) = Write(dir.Path, batches: 20);
        var segment = LogFactory.SegmentFiles(dir.Path)[^1];
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write(new byte[500]);
        }

        using var log = LogFactory.OpenFile(dir.Path, Small);
        Assert.Equal(before.Count, log.LogEndOffset);
        Assert.Equal(before, TestBatches.ReadAll(log));
    }

    [Fact]
    public void Corrupt_batch_in_an_older_segment_cuts_the_log_there_and_removes_later_segments()
    {
        using var dir = new TempDirectory();
        var (_, before) = Write(dir.Path, batches: 60);
        var segments = LogFactory.SegmentFiles(dir.Path);
        Assert.True(segments.Length >= 4, $"expected several segments, got {segments.Length}");
        var victim = segments[1];
        FileSegment.TryParseName(Path.GetFileName(victim), out var victimBase);
        var bytes = File.ReadAllBytes(victim);
        bytes[70] ^= 0x01;
        File.WriteAllBytes(victim, bytes);

        var reports = new List<string>();
        using var log = LogFactory.OpenFile(dir.Path, Small, reports: reports);
        Assert.Equal(victimBase, log.LogEndOffset);
        Assert.Equal(2, LogFactory.SegmentFiles(dir.Path).Length);
        Assert.Equal(before.Where(r => r.Offset < victimBase), TestBatches.ReadAll(log));
        Assert.Contains(reports, r => r.Contains("follows the cut", StringComparison.Ordinal));
    }

    /// <summary>Writes batches of 1-3 records into a file log and closes it; returns the last batch's base offset and every record.</summary>
    private static (long LastBatchBase, List<TestBatches.Stored> Records) Write(string directory, int batches)
    {
        using var log = LogFactory.OpenFile(directory, Small);
        var last = 0L;
        for (var i = 0; i < batches; i++)
        {
            last = log.Append(TestBatches.Values($"b{i}", 1 + (i % 3), Start + i));
        }

        return (last, TestBatches.ReadAll(log));
    }
}
