using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Protocol.Tests.Records;

public sealed class RecordSetTests
{
    private static byte[] ThreeBatches(out int[] sizes)
    {
        var batches = new[]
        {
            BatchBytes.Sample(3, 1).ToArray(),
            BatchBytes.Sample(5, 2, RecordCompression.Gzip).ToArray(),
            GoldenBatchTests.Golden,
        };
        sizes = batches.Select(b => b.Length).ToArray();
        return batches.SelectMany(b => b).ToArray();
    }

    [Fact]
    public void Enumerates_each_batch_in_place()
    {
        var records = ThreeBatches(out var sizes);
        var seen = new List<(int Size, int Count)>();
        foreach (var header in RecordSet.Batches(records))
        {
            Assert.True(header.Validate());
            seen.Add((header.TotalSize, header.RecordCount));
        }

        Assert.Equal(new[] { (sizes[0], 3), (sizes[1], 5), (sizes[2], 1) }, seen);

        var e = RecordSet.Batches(records);
        var positions = new List<int>();
        while (e.MoveNext())
        {
            positions.Add(e.CurrentPosition);
            Assert.Equal(e.Current.TotalSize, e.CurrentMemory.Length);
        }

        Assert.Equal(new[] { 0, sizes[0], sizes[0] + sizes[1] }, positions);
        Assert.False(e.HasPartialTail);
        Assert.Equal(records.Length, e.Consumed);
    }

    [Fact]
    public void Empty_record_set_has_no_batches()
    {
        var e = RecordSet.Batches(ReadOnlyMemory<byte>.Empty);
        Assert.False(e.MoveNext());
        Assert.False(e.HasPartialTail);
    }

    [Fact]
    public void Partial_last_batch_stops_cleanly_at_every_cut()
    {
        var records = ThreeBatches(out var sizes);
        var firstTwo = sizes[0] + sizes[1];
        for (var cut = firstTwo + 1; cut < records.Length; cut++)
        {
            var e = RecordSet.Batches(records.AsMemory(0, cut));
            var count = 0;
            while (e.MoveNext())
            {
                count++;
            }

            Assert.Equal(2, count);
            Assert.True(e.HasPartialTail);
            Assert.Equal(firstTwo, e.Consumed);
            Assert.Equal(2, RecordSet.DecodeAll(records.AsMemory(0, cut)).Count);
        }
    }

    [Fact]
    public void DecodeAll_decodes_every_complete_batch()
    {
        var batches = RecordSet.DecodeAll(ThreeBatches(out _));
        Assert.Equal(new[] { 3, 5, 1 }, batches.Select(b => b.Records.Count));
        Assert.Equal(RecordCompression.Gzip, batches[1].Compression);
    }

    [Fact]
    public void Impossible_batch_length_is_an_error_not_a_partial_batch()
    {
        var records = ThreeBatches(out var sizes);
        records[sizes[0] + 11] = 10; // second batch's batchLength becomes 10
        var e = RecordSet.Batches(records);
        Assert.True(e.MoveNext());
        var ex = Assert.Throws<KafkaDecodeException>(() => MoveNext(records, 2));
        Assert.Equal("batchLength", ex.Field);
    }

    [Fact]
    public void Old_magic_is_an_error()
    {
        var records = ThreeBatches(out _);
        records[16] = 1;
        var ex = Assert.Throws<KafkaDecodeException>(() => MoveNext(records, 1));
        Assert.Equal("magic", ex.Field);
    }

    private static void MoveNext(byte[] records, int times)
    {
        var e = RecordSet.Batches(records);
        for (var i = 0; i < times; i++)
        {
            e.MoveNext();
        }
    }
}
