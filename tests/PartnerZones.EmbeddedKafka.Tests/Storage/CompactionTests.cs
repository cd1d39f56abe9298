using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>
/// cleanup.policy=compact keeps only the latest record per key in the segments before the active one,
/// keeps offsets and keyless records, leaves the active segment alone, and drops a latest tombstone only
/// once delete.retention.ms has passed since its timestamp.
/// </summary>
public sealed class CompactionTests
{
    private const long Now = 1_700_000_000_000;

    [Theory]
    [InlineData(false, RecordCompression.None)]
    [InlineData(true, RecordCompression.None)]
    [InlineData(true, RecordCompression.Gzip)]
    public void Compaction_keeps_the_latest_record_per_key_before_the_active_segment(bool inFiles, RecordCompression compression)
    {
        using var dir = new TempDirectory();
        var config = LogFactory.Config(("cleanup.policy", "compact"), ("segment.bytes", 400), ("delete.retention.ms", 60_000));
        var log = LogFactory.Open(inFiles ? dir.Path : null, config);
        for (var i = 0; i < 60; i++)
        {
            // Ten keys, each rewritten six times; key k3's last word is a tombstone; every fifth batch adds a keyless record.
            var key = $"k{i % 10}";
            string? value = i >= 50 && key == "k3" ? null : $"v{i}";
            var records = new List<(string?, string?)> { (key, value) };
            if (i % 5 == 0)
            {
                records.Add((null, $"nokey{i}"));
            }

            log.Append(TestBatches.Make(records, Now, compression: compression));
        }

        var written = TestBatches.ReadAll(log);
        var activeBase = ActiveBase(log, written);
        log.RunCleanup(Now);

        var kept = TestBatches.ReadAll(log);
        var closed = kept.Where(r => r.Offset < activeBase).ToList();
        var keyed = closed.Where(r => r.Key is not null).ToList();
        Assert.Equal(keyed.Count, keyed.Select(r => r.Key).Distinct().Count());
        foreach (var record in keyed)
        {
            var latest = written.Last(w => w.Key == record.Key && w.Offset < activeBase);
            Assert.Equal(latest, record);
        }

        Assert.Equal(written.Where(w => w.Key is null), kept.Where(r => r.Key is null));
        Assert.Equal(written.Where(w => w.Offset >= activeBase), kept.Where(r => r.Offset >= activeBase));
        Assert.All(kept, r => Assert.Contains(r, written));
        Assert.True(kept.Count < written.Count);
        Assert.Equal(written.Count, log.LogEndOffset);

        if (inFiles)
        {
            log.Dispose();
            log = LogFactory.OpenFile(dir.Path, config);
            Assert.Equal(kept, TestBatches.ReadAll(log));
        }

        log.Dispose();
    }

    [Fact]
    public void A_latest_tombstone_stays_until_delete_retention_has_passed()
    {
        var config = LogFactory.Config(("cleanup.policy", "compact"), ("segment.bytes", 200), ("delete.retention.ms", 60_000));
        using var log = new PartitionLog(config);
        log.Append(TestBatches.Make([("a", "1")], Now));
        log.Append(TestBatches.Make([("a", null)], Now));
        for (var i = 0; i < 6; i++)
        {
            log.Append(TestBatches.Make([("other", $"x{i}")], Now));
        }

        Assert.True(log.SegmentCount >= 3);
        log.RunCleanup(Now + 1_000);
        var afterFirst = TestBatches.ReadAll(log).Where(r => r.Key == "a").ToList();
        Assert.Equal([new TestBatches.Stored(1, "a", null, Now)], afterFirst);
        Assert.Equal(Now, afterFirst[0].Timestamp);

        log.RunCleanup(Now + 60_001);
        Assert.DoesNotContain(TestBatches.ReadAll(log), r => r.Key == "a");
    }

    [Fact]
    public void Delete_policy_topics_are_not_compacted()
    {
        var config = LogFactory.Config(("segment.bytes", 200));
        using var log = new PartitionLog(config);
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Make([("same", $"v{i}")], Now));
        }

        log.RunCleanup(Now);
        Assert.Equal(10, TestBatches.ReadAll(log).Count);
    }

    private static long ActiveBase(PartitionLog log, List<TestBatches.Stored> written)
    {
        Assert.True(log.SegmentCount >= 3, $"expected several segments, got {log.SegmentCount}");
        var activeBase = log.ActiveSegmentBase;
        Assert.Contains(written, w => w.Offset >= activeBase);
        return activeBase;
    }
}
