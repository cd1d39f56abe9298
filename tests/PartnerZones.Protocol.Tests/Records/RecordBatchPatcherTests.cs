using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Protocol.Tests.Records;

public sealed class RecordBatchPatcherTests
{
    [Fact]
    public void Base_offset_and_leader_epoch_patch_in_place_and_keep_the_crc_valid()
    {
        var bytes = BatchBytes.Sample(4, 1, RecordCompression.Lz4).ToArray();
        RecordBatchPatcher.SetBaseOffset(bytes, 987_654_321_000);
        RecordBatchPatcher.SetPartitionLeaderEpoch(bytes, 12);

        var header = RecordBatchHeader.Read(bytes);
        Assert.Equal(987_654_321_000, header.BaseOffset);
        Assert.Equal(12, header.PartitionLeaderEpoch);
        Assert.True(header.Validate());
        Assert.Equal(987_654_321_000 + 3, RecordBatch.Decode(bytes).OffsetOf(RecordBatch.Decode(bytes).Records[3]));
    }

    [Fact]
    public void Log_append_time_sets_the_type_and_max_timestamp_and_recomputes_the_crc()
    {
        var bytes = BatchBytes.Sample(4, 1).ToArray();
        RecordBatchPatcher.SetLogAppendTime(bytes, 1_800_000_000_000);

        var header = RecordBatchHeader.Read(bytes);
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.Equal(1_800_000_000_000, header.MaxTimestamp);
        Assert.True(header.Validate());

        var batch = RecordBatch.Decode(bytes);
        Assert.All(batch.Records, r => Assert.Equal(1_800_000_000_000, batch.TimestampOf(r)));
    }

    [Fact]
    public void UpdateCrc_repairs_the_crc_after_a_covered_edit()
    {
        var bytes = (byte[])GoldenBatchTests.Golden.Clone();
        bytes[^1] = (byte)'w'; // header value "v" -> "w"
        Assert.False(RecordBatchHeader.Read(bytes).Validate());

        var crc = RecordBatchPatcher.UpdateCrc(bytes);
        var header = RecordBatchHeader.Read(bytes);
        Assert.True(header.Validate());
        Assert.Equal(crc, header.Crc);
    }

    [Fact]
    public void AssignOffsets_numbers_consecutive_batches()
    {
        var a = BatchBytes.Sample(3, 1).ToArray();   // offsets 0..2
        var b = BatchBytes.Sample(1, 2).ToArray();   // offset 0
        var c = BatchBytes.Sample(10, 3, RecordCompression.Zstd).ToArray();
        var records = a.Concat(b).Concat(c).ToArray();

        var next = RecordBatchPatcher.AssignOffsets(records, 100);

        Assert.Equal(114, next);
        var e = RecordSet.Batches(records);
        var bases = new List<long>();
        while (e.MoveNext())
        {
            bases.Add(e.Current.BaseOffset);
            Assert.True(e.Current.Validate());
        }

        Assert.Equal(new long[] { 100, 103, 104 }, bases);
    }

    [Fact]
    public void Patching_a_cut_off_batch_is_a_decode_error()
    {
        var bytes = BatchBytes.Sample(3, 1).ToArray();
        Assert.Throws<KafkaDecodeException>(() => RecordBatchPatcher.SetBaseOffset(bytes.AsSpan(0, bytes.Length - 1), 1));
        Assert.Throws<KafkaDecodeException>(() => RecordBatchPatcher.AssignOffsets(bytes.AsSpan(0, bytes.Length - 1), 1));
    }
}
