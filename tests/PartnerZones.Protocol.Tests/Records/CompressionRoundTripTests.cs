using PartnerZones.Protocol.Records;

namespace PartnerZones.Protocol.Tests.Records;

public sealed class CompressionRoundTripTests
{
    public static TheoryData<RecordCompression> Codecs() =>
        new(RecordCompression.None, RecordCompression.Gzip, RecordCompression.Snappy, RecordCompression.Lz4, RecordCompression.Zstd);

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Batch_survives_encode_decode_encode(RecordCompression codec)
    {
        // 3000 records are a few hundred KiB: several snappy (32 KiB) and lz4 (64 KiB) blocks.
        foreach (var count in new[] { 0, 1, 17, 3000 })
        {
            var original = BatchBytes.Sample(count, seed: count, codec);
            var bytes = original.ToArray();

            var header = RecordBatchHeader.Read(bytes);
            Assert.Equal(codec, header.Compression);
            Assert.Equal(count, header.RecordCount);
            Assert.True(header.Validate());

            var decoded = RecordBatch.Decode(bytes);
            Assert.Equal(original.BaseOffset, decoded.BaseOffset);
            Assert.Equal(original.PartitionLeaderEpoch, decoded.PartitionLeaderEpoch);
            Assert.Equal(original.Attributes, decoded.Attributes);
            Assert.Equal(original.LastOffsetDelta, decoded.LastOffsetDelta);
            Assert.Equal(original.BaseTimestamp, decoded.BaseTimestamp);
            Assert.Equal(original.MaxTimestamp, decoded.MaxTimestamp);
            Assert.Equal(original.ProducerId, decoded.ProducerId);
            Assert.Equal(original.ProducerEpoch, decoded.ProducerEpoch);
            Assert.Equal(original.BaseSequence, decoded.BaseSequence);
            BatchBytes.AssertSameRecords(original.Records, decoded.Records);

            // The compressors are deterministic, so a decoded batch re-encodes to the same bytes.
            Assert.Equal(bytes, decoded.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Compressible_records_get_smaller(RecordCompression codec)
    {
        var plain = BatchBytes.Sample(500, seed: 9).ToArray().Length;
        var compressed = BatchBytes.Sample(500, seed: 9, codec).ToArray().Length;
        if (codec == RecordCompression.None)
        {
            Assert.Equal(plain, compressed);
        }
        else
        {
            Assert.True(compressed < plain / 2, $"{codec}: {compressed} of {plain} bytes");
        }
    }

    [Fact]
    public void Lz4_writes_the_frame_Kafka_reads()
    {
        var bytes = BatchBytes.Sample(10, seed: 1, RecordCompression.Lz4).ToArray();
        var frame = bytes.AsSpan(BatchBytes.HeaderSize);
        Assert.Equal(new byte[] { 0x04, 0x22, 0x4D, 0x18 }, frame[..4].ToArray()); // LZ4 frame magic, little-endian
        Assert.Equal(0x60, frame[4]); // FLG: version 1, independent blocks, no checksums, no content size
        Assert.Equal(0x40, frame[5]); // BD: 64 KiB maximum block size
    }

    [Fact]
    public void Gzip_writes_a_gzip_member()
    {
        var bytes = BatchBytes.Sample(10, seed: 1, RecordCompression.Gzip).ToArray();
        Assert.Equal(new byte[] { 0x1F, 0x8B, 0x08 }, bytes.AsSpan(BatchBytes.HeaderSize, 3).ToArray());
    }

    [Fact]
    public void Zstd_writes_a_zstd_frame()
    {
        var bytes = BatchBytes.Sample(10, seed: 1, RecordCompression.Zstd).ToArray();
        Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, bytes.AsSpan(BatchBytes.HeaderSize, 4).ToArray());
    }

    [Fact]
    public void Encode_appends_after_existing_bytes()
    {
        using var writer = new PartnerZones.Protocol.Primitives.KafkaWriter();
        writer.WriteInt32(12345);
        var batch = BatchBytes.Sample(20, seed: 2, RecordCompression.Gzip);
        batch.Encode(writer);
        var written = writer.ToArray();
        Assert.Equal(batch.ToArray(), written[4..]);
    }
}
