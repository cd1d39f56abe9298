using PartnerZones.EmbeddedKafka.Storage;
using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>
/// A kill -9 leaves the files as they were at some instant mid-write. Copying a data directory while a
/// writer appends (flush per append) yields such images; each must open with every batch intact, no
/// offset gaps, and everything that was appended before the copy began. A copy rarely catches a write
/// half done, so every cut of the active segment is tried as well: each must load as exactly the
/// batches that lie wholly before the cut.
/// </summary>
public sealed class CrashImageTests
{
    [Fact]
    public async Task Copies_taken_mid_write_open_whole_and_gap_free()
    {
        using var dir = new TempDirectory();
        var live = dir.Sub("live");
        var config = LogFactory.Config(("segment.bytes", 4_000), ("index.interval.bytes", 256));
        var log = LogFactory.OpenFile(live, config, FlushPolicy.EveryAppend);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var appended = 0L;
        var writer = Task.Run(() =>
        {
            var random = new Random(3);
            for (var i = 0; i < 200_000 && !stop.IsCancellationRequested; i++)
            {
                var batch = TestBatches.Values($"w{i}", 1 + random.Next(8), 1_700_000_000_000 + i);
                var offset = log.Append(batch);
                Interlocked.Exchange(ref appended, offset + 1 + BatchFields.LastOffsetDelta(batch));
            }
        });

        var images = new List<(string Path, long AppendedBefore)>();
        for (var copy = 0; copy < 8 && !writer.IsCompleted; copy++)
        {
            await Task.Delay(50);
            var image = dir.Sub($"image{copy}");
            var before = Interlocked.Read(ref appended);
            TempDirectory.Copy(live, image);
            images.Add((image, before));
        }

        await stop.CancelAsync();
        await writer;
        log.Dispose();
        Assert.True(images.Count >= 3, $"the writer finished before enough copies were taken ({images.Count})");

        foreach (var (image, appendedBefore) in images)
        {
            using var reopened = LogFactory.OpenFile(image, config);
            Assert.True(reopened.LogEndOffset >= appendedBefore, $"{image}: end {reopened.LogEndOffset} lost records appended before the copy ({appendedBefore})");

            // ReadAll checks every CRC; offsets must run 0, 1, 2, ... with no gap up to the end.
            var records = TestBatches.ReadAll(reopened, maxBytes: 3_000);
            Assert.Equal(reopened.LogEndOffset, records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                Assert.Equal(i, records[i].Offset);
            }

            foreach (var bytes in RecordSet.Batches(reopened.Read(0, int.MaxValue)))
            {
                Assert.True(bytes.Validate());
            }
        }
    }

    [Fact]
    public void Any_cut_of_the_active_segment_loads_as_exactly_the_batches_before_it()
    {
        using var dir = new TempDirectory();
        var source = dir.Sub("source");
        var config = LogFactory.Config(("segment.bytes", 3_000), ("index.interval.bytes", 200));
        using (var log = LogFactory.OpenFile(source, config, FlushPolicy.EveryAppend))
        {
            for (var i = 0; i < 60; i++)
            {
                log.Append(TestBatches.Values($"w{i}", 1 + (i % 4), 1_700_000_000_000 + i));
            }
        }

        var active = LogFactory.SegmentFiles(source)[^1];
        FileSegment.TryParseName(Path.GetFileName(active), out var activeBase);
        var bytes = File.ReadAllBytes(active);
        var ends = new List<(int End, long NextOffset)>();
        var batches = RecordSet.Batches(bytes);
        while (batches.MoveNext())
        {
            ends.Add((batches.Consumed, batches.Current.NextOffset));
        }

        Assert.True(ends.Count >= 5, $"the active segment should hold several batches, it holds {ends.Count}");
        var random = new Random(11);
        var cuts = Enumerable.Range(0, 40).Select(_ => random.Next(0, bytes.Length)).Concat([0, bytes.Length, ends[0].End, ends[0].End + 1]);
        foreach (var cut in cuts)
        {
            var image = dir.Sub($"cut{cut}");
            TempDirectory.Copy(source, image);
            using (var file = File.OpenWrite(Path.Combine(image, Path.GetFileName(active))))
            {
                file.SetLength(cut);
            }

            using var reopened = LogFactory.OpenFile(image, config);
            var expectedEnd = ends.Where(e => e.End <= cut).Select(e => e.NextOffset).DefaultIfEmpty(activeBase).Max();
            Assert.Equal(expectedEnd, reopened.LogEndOffset);
            var records = TestBatches.ReadAll(reopened);
            Assert.Equal(Enumerable.Range(0, (int)expectedEnd).Select(o => (long)o), records.Select(r => r.Offset));
            Assert.Equal(expectedEnd, reopened.Append(TestBatches.Values("after", 1, 1)));
        }
    }
}
