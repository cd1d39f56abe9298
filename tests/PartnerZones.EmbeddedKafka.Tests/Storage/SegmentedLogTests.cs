using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>
/// The file-backed log answers every read exactly as the in-memory log does (the in-memory one is the
/// reference), rolls segments at segment.bytes, keeps a sparse index, and reopens to the same state.
/// </summary>
public sealed class SegmentedLogTests
{
    private const long Start = 1_700_000_000_000;

    private static readonly LogConfig Small = LogFactory.Config(("segment.bytes", 700), ("index.interval.bytes", 150));

    [Fact]
    public void File_log_answers_reads_like_the_memory_log_and_reopens_to_the_same_state()
    {
        using var dir = new TempDirectory();
        var memory = new PartitionLog(Small);
        var file = LogFactory.OpenFile(dir.Path, Small);
        var random = new Random(7);
        for (var i = 0; i < 150; i++)
        {
            // Timestamps wander so max-timestamp and by-timestamp lookups have ties and reversals.
            var batch = TestBatches.Values($"b{i}", 1 + random.Next(6), Start + random.Next(0, 50) * 1000L);
            Assert.Equal(memory.Append((byte[])batch.Clone()), file.Append(batch));
        }

        Assert.True(file.SegmentCount >= 10, $"expected many segments, got {file.SegmentCount}");
        Assert.Equal(memory.SegmentCount, file.SegmentCount);
        AssertSameAnswers(memory, file);

        file.Dispose();
        Assert.Equal(memory.SegmentCount, LogFactory.SegmentFiles(dir.Path).Length);
        using var reopened = LogFactory.OpenFile(dir.Path, Small);
        AssertSameAnswers(memory, reopened);

        // Appends carry on where the log ended, in both.
        var more = TestBatches.Values("after", 3, Start);
        Assert.Equal(memory.Append((byte[])more.Clone()), reopened.Append(more));
        AssertSameAnswers(memory, reopened);
    }

    [Fact]
    public void Sparse_index_has_an_entry_per_interval_and_a_damaged_index_is_rebuilt()
    {
        using var dir = new TempDirectory();
        var config = LogFactory.Config(("segment.bytes", 100_000), ("index.interval.bytes", 200));
        var log = LogFactory.OpenFile(dir.Path, config);
        for (var i = 0; i < 100; i++)
        {
            log.Append(TestBatches.Values($"b{i}", 2, Start));
        }

        var expected = TestBatches.ReadAll(log);
        log.Dispose();

        var index = Path.ChangeExtension(LogFactory.SegmentFiles(dir.Path).Single(), ".index");
        var entries = new FileInfo(index).Length / OffsetIndex.EntrySize;
        var logBytes = new FileInfo(Path.ChangeExtension(index, ".log")).Length;
        Assert.InRange(entries, logBytes / 400, (logBytes / 200) + 1);
        var good = File.ReadAllBytes(index);

        File.WriteAllBytes(index, [.. Enumerable.Repeat((byte)0x7F, 40)]);
        using (var reopened = LogFactory.OpenFile(dir.Path, config))
        {
            Assert.Equal(expected, TestBatches.ReadAll(reopened, maxBytes: 100));
        }

        Assert.Equal(good, File.ReadAllBytes(index));
    }

    [Fact]
    public void Segment_rolls_when_a_batch_is_segment_ms_newer_than_the_first()
    {
        var log = new PartitionLog(LogFactory.Config(("segment.ms", 60_000)));
        log.Append(TestBatches.Values("a", 1, Start));
        log.Append(TestBatches.Values("b", 1, Start + 59_000));
        Assert.Equal(1, log.SegmentCount);
        log.Append(TestBatches.Values("c", 1, Start + 61_000));
        Assert.Equal(2, log.SegmentCount);
    }

    private static void AssertSameAnswers(PartitionLog expected, PartitionLog actual)
    {
        var end = expected.LogEndOffset;
        Assert.Equal(end, actual.LogEndOffset);
        Assert.Equal(expected.LogStartOffset, actual.LogStartOffset);
        Assert.Equal(expected.SizeInBytes, actual.SizeInBytes);
        Assert.Equal(expected.MaxTimestamp(), actual.MaxTimestamp());
        for (var offset = 0L; offset <= end; offset += 3)
        {
            foreach (var maxBytes in new[] { 0, 1, 150, 700, 2_000, 1 << 20 })
            {
                foreach (var upTo in new[] { end, offset + 5 })
                {
                    Assert.Equal(expected.Read(offset, maxBytes, upTo), actual.Read(offset, maxBytes, upTo));
                }
            }
        }

        for (var t = Start - 1000; t <= Start + 51_000; t += 2_500)
        {
            Assert.Equal(expected.OffsetForTimestamp(t), actual.OffsetForTimestamp(t));
        }

        Assert.Equal(TestBatches.ReadAll(expected), TestBatches.ReadAll(actual));
    }
}
