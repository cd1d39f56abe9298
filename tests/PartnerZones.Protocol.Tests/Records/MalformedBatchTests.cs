using System.Buffers.Binary;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Protocol.Tests.Records;

/// <summary>Framing faults: cut-off batches, impossible lengths, wrong magic, unknown codecs.</summary>
public sealed class MalformedBatchTests
{
    public static TheoryData<RecordCompression> Codecs() =>
        new(RecordCompression.None, RecordCompression.Gzip, RecordCompression.Snappy, RecordCompression.Lz4, RecordCompression.Zstd);

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Batch_cut_at_any_length_is_a_decode_error(RecordCompression codec)
    {
        var bytes = BatchBytes.Sample(5, 3, codec).ToArray();
        for (var length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes.AsMemory(0, length)));
            Assert.Equal("batchLength", e.Field);
            Assert.Throws<KafkaDecodeException>(() => RecordBatchHeader.Read(bytes.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(0)]
    [InlineData(48)]
    [InlineData(int.MaxValue)]
    public void Impossible_batch_length_is_a_decode_error(int batchLength)
    {
        var bytes = (byte[])GoldenBatchTests.Golden.Clone();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), batchLength);
        Assert.Equal("batchLength", Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes)).Field);
        Assert.False(RecordBatchHeader.TryRead(bytes, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(0xFF)]
    public void Magic_other_than_2_is_a_decode_error(byte magic)
    {
        var bytes = (byte[])GoldenBatchTests.Golden.Clone();
        bytes[16] = magic;
        var e = Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes));
        Assert.Equal("magic", e.Field);
        Assert.Contains("magic", e.Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Unknown_compression_codec_is_a_decode_error(int codec)
    {
        var bytes = BatchBytes.Build(Convert.FromHexString("0C000000010100"), 1, (RecordCompression)codec);
        var e = Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes));
        Assert.Equal("attributes", e.Field);
        Assert.Contains($"codec {codec}", e.Problem);
    }

    [Fact]
    public void Crc_check_can_be_skipped_when_the_caller_already_checked()
    {
        var bytes = (byte[])GoldenBatchTests.Golden.Clone();
        bytes[17] ^= 0xFF;
        Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes));
        Assert.Single(RecordBatch.Decode(bytes, verifyCrc: false).Records);
    }
}
