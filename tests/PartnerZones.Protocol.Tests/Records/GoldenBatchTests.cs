using System.Text;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Protocol.Tests.Records;

/// <summary>
/// One batch written out field by field from the magic-2 layout, with its CRC-32C worked out
/// independently (bit-at-a-time over bytes 21..74). Encoding must produce exactly these bytes, and
/// the header view and decoder must read them back.
/// </summary>
public sealed class GoldenBatchTests
{
    private const long Timestamp = 1_700_000_000_000; // 0x0000018BCFE56800

    internal static readonly byte[] Golden = Convert.FromHexString(string.Concat(
        "0000000000000005", // baseOffset 5
        "0000003F",         // batchLength 63 = 49 header bytes after this field + 14 record bytes
        "00000003",         // partitionLeaderEpoch 3
        "02",               // magic 2
        "3AC2E82B",         // crc: CRC-32C of everything from attributes on
        "0000",             // attributes: no compression, CreateTime, not transactional, not control
        "00000000",         // lastOffsetDelta 0
        "0000018BCFE56800", // baseTimestamp
        "0000018BCFE56800", // maxTimestamp
        "FFFFFFFFFFFFFFFF", // producerId -1
        "FFFF",             // producerEpoch -1
        "FFFFFFFF",         // baseSequence -1
        "00000001",         // recordCount 1
        "1A",               // record length 13 (zig-zag varint 26)
        "00",               // record attributes
        "00",               // timestampDelta 0
        "00",               // offsetDelta 0
        "02", "6B",         // key length 1, "k"
        "04", "6869",       // value length 2, "hi"
        "02",               // 1 header
        "02", "68",         // header key length 1, "h"
        "02", "76"));       // header value length 1, "v"

    private static RecordBatch Expected() => new()
    {
        BaseOffset = 5,
        PartitionLeaderEpoch = 3,
        BaseTimestamp = Timestamp,
        MaxTimestamp = Timestamp,
        Records = [BatchBytes.Text("k", "hi", 0, ("h", "v"))],
    };

    [Fact]
    public void Encoding_produces_the_hand_built_bytes() =>
        Assert.Equal(Convert.ToHexString(Golden), Convert.ToHexString(Expected().ToArray()));

    [Fact]
    public void Header_view_reads_every_field()
    {
        var header = RecordBatchHeader.Read(Golden);
        Assert.Equal(5, header.BaseOffset);
        Assert.Equal(63, header.BatchLength);
        Assert.Equal(75, header.TotalSize);
        Assert.Equal(3, header.PartitionLeaderEpoch);
        Assert.Equal(2, header.Magic);
        Assert.Equal(0x3AC2E82Bu, header.Crc);
        Assert.Equal(0, header.Attributes);
        Assert.Equal(0, header.LastOffsetDelta);
        Assert.Equal(Timestamp, header.BaseTimestamp);
        Assert.Equal(Timestamp, header.MaxTimestamp);
        Assert.Equal(-1, header.ProducerId);
        Assert.Equal(-1, header.ProducerEpoch);
        Assert.Equal(-1, header.BaseSequence);
        Assert.Equal(1, header.RecordCount);
        Assert.Equal(RecordCompression.None, header.Compression);
        Assert.Equal(TimestampType.CreateTime, header.TimestampType);
        Assert.False(header.IsTransactional);
        Assert.False(header.IsControl);
        Assert.False(header.HasDeleteHorizon);
        Assert.Equal(5, header.LastOffset);
        Assert.Equal(6, header.NextOffset);
        Assert.Equal(14, header.RecordsBytes.Length);
        Assert.True(header.Validate());
    }

    [Fact]
    public void View_ignores_bytes_after_the_batch()
    {
        var withTrailer = Golden.Concat(new byte[] { 1, 2, 3 }).ToArray();
        var header = RecordBatchHeader.Read(withTrailer);
        Assert.Equal(Golden.Length, header.TotalSize);
        Assert.True(header.Validate());
        Assert.True(RecordBatchHeader.TryRead(withTrailer, out _));
        Assert.False(RecordBatchHeader.TryRead(Golden.AsSpan(0, Golden.Length - 1), out _));
    }

    [Fact]
    public void Decoder_reads_the_record()
    {
        var batch = RecordBatch.Decode(Golden);
        Assert.Equal(5, batch.BaseOffset);
        Assert.Equal(3, batch.PartitionLeaderEpoch);
        var record = Assert.Single(batch.Records);
        Assert.Equal("k", Encoding.UTF8.GetString(record.Key!.Value.Span));
        Assert.Equal("hi", Encoding.UTF8.GetString(record.Value!.Value.Span));
        var header = Assert.Single(record.Headers);
        Assert.Equal("h", header.Key);
        Assert.Equal("v", Encoding.UTF8.GetString(header.Value!.Value.Span));
        Assert.Equal(5, batch.OffsetOf(record));
        Assert.Equal(Timestamp, batch.TimestampOf(record));
    }

    [Fact]
    public void Uncompressed_decode_slices_the_input_instead_of_copying()
    {
        var batch = RecordBatch.Decode(Golden);
        var key = batch.Records[0].Key!.Value;
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(key, out var segment));
        Assert.Same(Golden, segment.Array);
        Assert.Equal(66, segment.Offset); // header 61 + length, attributes, two deltas, key length
    }

    [Theory]
    [InlineData(21)] // attributes
    [InlineData(30)] // baseTimestamp
    [InlineData(60)] // recordCount
    [InlineData(66)] // key byte
    [InlineData(74)] // last byte
    public void Tampered_byte_invalidates_the_crc(int index)
    {
        var copy = (byte[])Golden.Clone();
        copy[index] ^= 0x01;
        Assert.False(RecordBatchHeader.Read(copy).Validate());
        var e = Assert.Throws<PartnerZones.Protocol.Primitives.KafkaDecodeException>(() => RecordBatch.Decode(copy));
        Assert.Equal("crc", e.Field);
    }

    [Fact]
    public void Bytes_before_the_crc_range_do_not_affect_it()
    {
        var copy = (byte[])Golden.Clone();
        copy[3] ^= 0xFF;  // baseOffset
        copy[14] ^= 0xFF; // partitionLeaderEpoch
        Assert.True(RecordBatchHeader.Read(copy).Validate());
    }

    [Fact]
    public void Attribute_bits_are_read_from_their_positions()
    {
        var batch = Expected();
        batch.Compression = RecordCompression.Zstd;
        batch.TimestampType = TimestampType.LogAppendTime;
        batch.IsTransactional = true;
        batch.IsControl = true;
        batch.HasDeleteHorizon = true;
        Assert.Equal(0b111_1100, batch.Attributes);

        var header = RecordBatchHeader.Read(batch.ToArray());
        Assert.Equal(0b111_1100, header.Attributes);
        Assert.Equal(RecordCompression.Zstd, header.Compression);
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.True(header.IsTransactional);
        Assert.True(header.IsControl);
        Assert.True(header.HasDeleteHorizon);
        Assert.True(header.Validate());

        batch.IsControl = false;
        batch.Compression = RecordCompression.None;
        Assert.Equal(0b101_1000, batch.Attributes);
    }
}
