using System.Buffers.Binary;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;
using PartnerZones.Protocol.Records.Compression;
using Snappier;

namespace PartnerZones.Protocol.Tests.Records;

/// <summary>Corrupt compressed data and decompression bombs: always the decode exception, and a
/// bomb is stopped at the limit instead of inflating.</summary>
public sealed class MalformedCompressionTests
{
    private const int Limit = 1024 * 1024;

    public static TheoryData<RecordCompression> CompressedCodecs() =>
        new(RecordCompression.Gzip, RecordCompression.Snappy, RecordCompression.Lz4, RecordCompression.Zstd);

    private static byte[] Compress(RecordCompression codec, ReadOnlySpan<byte> data)
    {
        using var writer = new KafkaWriter();
        RecordCompressor.Compress(codec, data, writer);
        return writer.ToArray();
    }

    [Theory]
    [MemberData(nameof(CompressedCodecs))]
    public void Decompression_bomb_stops_at_the_limit(RecordCompression codec)
    {
        // 16 MiB of zeros compresses to a few KiB (snappy: under a MiB) and would inflate 16x past the limit.
        var bomb = Compress(codec, new byte[16 * Limit]);
        var bytes = BatchBytes.Build(bomb, 1, codec);
        var e = Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes, maxDecompressedBytes: Limit));
        Assert.Equal("records", e.Field);
        Assert.Contains("limit", e.Problem);
    }

    [Theory]
    [MemberData(nameof(CompressedCodecs))]
    public void Output_exactly_at_the_limit_is_allowed(RecordCompression codec)
    {
        var batch = BatchBytes.Sample(40, 8);
        var raw = BatchBytes.Section(batch.Records);
        var bytes = BatchBytes.Build(Compress(codec, raw), batch.Records.Count, codec);
        Assert.Equal(40, RecordBatch.Decode(bytes, maxDecompressedBytes: raw.Length).Records.Count);
        Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes, maxDecompressedBytes: raw.Length - 1));
    }

    [Theory]
    [MemberData(nameof(CompressedCodecs))]
    public void Garbage_compressed_data_is_a_decode_error(RecordCompression codec)
    {
        var rng = new Random((int)codec);
        for (var i = 0; i < 50; i++)
        {
            var garbage = new byte[rng.Next(0, 300)];
            rng.NextBytes(garbage);
            var bytes = BatchBytes.Build(garbage, 1, codec);
            Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes, Limit));
        }
    }

    [Theory]
    [MemberData(nameof(CompressedCodecs))]
    public void Cut_off_compressed_data_is_a_decode_error(RecordCompression codec)
    {
        var batch = BatchBytes.Sample(200, 5);
        var compressed = Compress(codec, BatchBytes.Section(batch.Records));
        for (var length = 0; length < compressed.Length; length += 1 + (length / 8))
        {
            var bytes = BatchBytes.Build(compressed.AsSpan(0, length), batch.Records.Count, codec);
            Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes, Limit));
        }
    }

    [Fact]
    public void Raw_snappy_claiming_more_than_its_bytes_can_hold_is_refused_before_allocating()
    {
        // Varint preamble 2,000,000,000 followed by a handful of bytes.
        var section = new byte[] { 0x80, 0xA8, 0xD6, 0xB9, 0x07, 0x00, 0x01, 0x02 };
        var bytes = BatchBytes.Build(section, 1, RecordCompression.Snappy);
        var e = Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes));
        Assert.Contains("claims 2000000000 bytes", e.Problem);
    }

    [Fact]
    public void Raw_snappy_over_the_limit_is_refused()
    {
        var bytes = BatchBytes.Build(Snappy.CompressToArray(new byte[2 * Limit]), 1, RecordCompression.Snappy);
        Assert.Contains("limit", Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes, Limit)).Problem);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Xerial_block_length_past_the_data_is_a_decode_error(int blockLength)
    {
        var section = new byte[16 + 4 + 10];
        Compress(RecordCompression.Snappy, [1]).AsSpan(0, 16).CopyTo(section);
        BinaryPrimitives.WriteInt32BigEndian(section.AsSpan(16), blockLength);
        var bytes = BatchBytes.Build(section, 1, RecordCompression.Snappy);
        var e = Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes));
        Assert.Contains("block 0 length", e.Problem);
    }

    [Fact]
    public void Zstd_window_limit_follows_the_output_limit_within_zstd_bounds()
    {
        Assert.Equal(24, ZstdCodec.WindowLogFor(1024));
        Assert.Equal(27, ZstdCodec.WindowLogFor(RecordBatch.DefaultMaxDecompressedBytes));
        Assert.Equal(27, ZstdCodec.WindowLogFor(int.MaxValue));
    }
}
