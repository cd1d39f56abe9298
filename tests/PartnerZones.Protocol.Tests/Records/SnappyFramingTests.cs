using System.Buffers.Binary;
using PartnerZones.Protocol.Records;
using Snappier;

namespace PartnerZones.Protocol.Tests.Records;

/// <summary>Kafka's Java client frames snappy the xerial (snappy-java) way; librdkafka may send a
/// raw snappy block. Both must decode; the xerial framing is what we write.</summary>
public sealed class SnappyFramingTests
{
    private static readonly byte[] XerialHeader = [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1];

    [Fact]
    public void Encoder_writes_xerial_framing_with_32_KiB_blocks()
    {
        var batch = BatchBytes.Sample(2000, seed: 4, RecordCompression.Snappy);
        var raw = BatchBytes.Section(batch.Records);
        var section = batch.ToArray().AsSpan(BatchBytes.HeaderSize);
        Assert.Equal(XerialHeader, section[..16].ToArray());

        var rest = section[16..];
        var blocks = 0;
        var total = 0;
        while (!rest.IsEmpty)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(rest);
            var block = rest.Slice(4, length);
            var size = Snappy.GetUncompressedLength(block);
            Assert.True(size <= 32 * 1024);
            total += size;
            blocks++;
            rest = rest[(4 + length)..];
        }

        Assert.Equal(raw.Length, total);
        Assert.Equal((raw.Length + (32 * 1024) - 1) / (32 * 1024), blocks);
    }

    [Fact]
    public void Raw_snappy_block_decodes()
    {
        var records = BatchBytes.Sample(300, seed: 5).Records;
        var raw = BatchBytes.Section(records);
        var bytes = BatchBytes.Build(Snappy.CompressToArray(raw), records.Count, RecordCompression.Snappy);
        BatchBytes.AssertSameRecords(records, RecordBatch.Decode(bytes).Records);
    }

    [Fact]
    public void Xerial_stream_built_by_hand_decodes()
    {
        var records = BatchBytes.Sample(300, seed: 6).Records;
        var raw = BatchBytes.Section(records);

        // Uneven blocks, to show block boundaries need not match ours.
        var section = new List<byte>(XerialHeader);
        for (var at = 0; at < raw.Length; at += 10_000)
        {
            AddBlock(section, raw.AsSpan(at, Math.Min(10_000, raw.Length - at)));
        }

        var bytes = BatchBytes.Build(section.ToArray(), records.Count, RecordCompression.Snappy);
        BatchBytes.AssertSameRecords(records, RecordBatch.Decode(bytes).Records);
    }

    [Fact]
    public void Concatenated_xerial_streams_decode()
    {
        var records = BatchBytes.Sample(50, seed: 7).Records;
        var raw = BatchBytes.Section(records);
        var half = raw.Length / 2;
        var section = new List<byte>(XerialHeader);
        AddBlock(section, raw.AsSpan(0, half));
        section.AddRange(XerialHeader);
        AddBlock(section, raw.AsSpan(half));

        var bytes = BatchBytes.Build(section.ToArray(), records.Count, RecordCompression.Snappy);
        BatchBytes.AssertSameRecords(records, RecordBatch.Decode(bytes).Records);
    }

    private static void AddBlock(List<byte> section, ReadOnlySpan<byte> data)
    {
        var block = Snappy.CompressToArray(data);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, block.Length);
        section.AddRange(length);
        section.AddRange(block);
    }
}
