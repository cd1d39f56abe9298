namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>retention.bytes and retention.ms drop whole old segments and move the log start, in memory
/// and in files; DeleteRecords' log start survives a reopen.</summary>
public sealed class RetentionTests
{
    private const long Now = 1_700_000_000_000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Retention_bytes_drops_oldest_segments_until_the_rest_fits(bool inFiles)
    {
        using var dir = new TempDirectory();
        var config = LogFactory.Config(("segment.bytes", 600), ("retention.bytes", 2_000));
        using var log = LogFactory.Open(inFiles ? dir.Path : null, config);
        for (var i = 0; i < 80; i++)
        {
            log.Append(TestBatches.Values($"b{i}", 2, Now));
        }

        var before = TestBatches.ReadAll(log);
        var sizeBefore = log.SizeInBytes;
        log.ApplyRetention(Now);

        Assert.True(log.SizeInBytes >= 2_000 - 600 && log.SizeInBytes < sizeBefore, $"size {log.SizeInBytes} of {sizeBefore}");
        Assert.True(log.SizeInBytes - 2_000 < 600, "no more than one segment over the limit remains");
        Assert.True(log.LogStartOffset > 0);
        Assert.Equal(before.Where(r => r.Offset >= log.LogStartOffset), TestBatches.ReadAll(log));
        Assert.Equal(before.Count, log.LogEndOffset);

        if (inFiles)
        {
            var start = log.LogStartOffset;
            log.Dispose();
            using var reopened = LogFactory.OpenFile(dir.Path, config);
            Assert.Equal(start, reopened.LogStartOffset);
            Assert.Equal(before.Where(r => r.Offset >= start), TestBatches.ReadAll(reopened));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Retention_ms_drops_segments_whose_newest_record_is_too_old(bool inFiles)
    {
        using var dir = new TempDirectory();
        var config = LogFactory.Config(("segment.bytes", 600), ("segment.ms", 1_000), ("retention.ms", 60_000));
        using var log = LogFactory.Open(inFiles ? dir.Path : null, config);
        for (var i = 0; i < 30; i++)
        {
            log.Append(TestBatches.Values($"old{i}", 2, Now - 3_600_000));
        }

        var firstNew = log.LogEndOffset;
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Values($"new{i}", 2, Now - 1_000));
        }

        log.ApplyRetention(Now);
        Assert.Equal(firstNew, log.LogStartOffset);
        var left = TestBatches.ReadAll(log);
        Assert.Equal(20, left.Count);
        Assert.All(left, r => Assert.StartsWith("new", r.Value, StringComparison.Ordinal));
        Assert.Equal(firstNew, log.OffsetForTimestamp(0));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_expired_active_segment_is_rolled_and_dropped_and_appends_continue(bool inFiles)
    {
        using var dir = new TempDirectory();
        var config = LogFactory.Config(("retention.ms", 60_000));
        using var log = LogFactory.Open(inFiles ? dir.Path : null, config);
        for (var i = 0; i < 5; i++)
        {
            log.Append(TestBatches.Values($"old{i}", 2, Now - 3_600_000));
        }

        log.ApplyRetention(Now);
        Assert.Equal(10, log.LogStartOffset);
        Assert.Equal(10, log.LogEndOffset);
        Assert.Empty(log.Read(10, 1 << 20));
        Assert.Equal(0, log.SizeInBytes);
        Assert.Null(log.MaxTimestamp());
        Assert.Equal(10, log.Append(TestBatches.Values("new", 1, Now)));
        Assert.Equal(["new-0"], TestBatches.ReadAll(log).Select(r => r.Value));
    }

    [Fact]
    public void DeleteBefore_moves_the_log_start_and_it_survives_a_reopen()
    {
        using var dir = new TempDirectory();
        var config = LogFactory.Config(("segment.bytes", 500));
        var log = LogFactory.OpenFile(dir.Path, config);
        for (var i = 0; i < 40; i++)
        {
            log.Append(TestBatches.Values($"b{i}", 3, Now));
        }

        var segments = LogFactory.SegmentFiles(dir.Path).Length;
        Assert.Equal(61, log.DeleteBefore(61));
        Assert.True(LogFactory.SegmentFiles(dir.Path).Length < segments, "whole segments below the new start are removed");
        var left = TestBatches.ReadAll(log);
        Assert.Equal(61, left[0].Offset);
        log.Dispose();

        using var reopened = LogFactory.OpenFile(dir.Path, config);
        Assert.Equal(61, reopened.LogStartOffset);
        Assert.Equal(120, reopened.LogEndOffset);
        Assert.Equal(left, TestBatches.ReadAll(reopened));
        Assert.Equal(61, reopened.OffsetForTimestamp(0));
    }
}
