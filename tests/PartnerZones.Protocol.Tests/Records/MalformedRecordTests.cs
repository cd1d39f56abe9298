using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Protocol.Tests.Records;

/// <summary>
/// Records sections broken one way each, inside batches whose framing and CRC are right, so the
/// decoder has to catch the fault itself. Each must be a decode exception naming the field.
/// A minimal valid record is 0C 00 00 00 01 01 00: body length 6, attributes, timestampDelta,
/// offsetDelta, null key, null value, no headers (all varints zig-zag).
/// </summary>
public sealed class MalformedRecordTests
{
    public static TheoryData<string, int, string, string> Cases() => new()
    {
        // section hex, recordCount, field, words in the problem
        { "0C000000010100", 2, "recordCount", "could hold" },
        { "0C000000010100", int.MaxValue, "recordCount", "could hold" },
        { "0C000000010100", -1, "recordCount", "negative" },
        { "0C0000000101000C000000010100", 1, "records", "remain after" },
        { "03000000010100", 1, "records[0].length", "smaller" },
        { "C801000000010100", 1, "records[0].length", "larger" },
        { "FFFFFFFFFF0F00", 1, "records[0].length", "varint" },
        { "0C000000090100", 1, "records[0].key", "negative" },
        { "0C000000140100", 1, "records[0].key", "needs 10 bytes" },
        { "0C000000010900", 1, "records[0].value", "negative" },
        { "1600FFFFFFFFFFFFFFFFFFFF", 1, "records[0].timestampDelta", "varlong" },
        { "0C000000010103", 1, "records[0].headers", "negative" },
        { "0E0000000101D00F", 1, "records[0].headers", "could hold" },
        { "100000000101020101", 1, "records[0].headerKey", "null" },
        { "12000000010102 02FF01", 1, "records[0].headerKey", "UTF-8" },
        { "0E00000001010000", 1, "records[0].headers", "leaves 1 bytes" },
        { "0C000000010100" + "0C000000090100", 2, "records[1].key", "negative" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Broken_record_is_a_decode_error_naming_the_field(string sectionHex, int count, string field, string problem)
    {
        var bytes = BatchBytes.Build(Convert.FromHexString(sectionHex.Replace(" ", "")), count);
        var e = Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes));
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem);
        Assert.Contains("RecordBatch", e.Message);
    }

    [Fact]
    public void The_minimal_record_itself_is_well_formed()
    {
        var batch = RecordBatch.Decode(BatchBytes.Build(Convert.FromHexString("0C000000010100" + "0C000000010100"), 2));
        Assert.Equal(2, batch.Records.Count);
        Assert.Null(batch.Records[1].Key);
        Assert.Null(batch.Records[1].Value);
        Assert.Empty(batch.Records[1].Headers);
    }

    [Fact]
    public void The_same_faults_inside_a_compressed_batch_are_caught_after_decompression()
    {
        using var writer = new KafkaWriter();
        PartnerZones.Protocol.Records.Compression.RecordCompressor.Compress(RecordCompression.Zstd, Convert.FromHexString("0C000000090100"), writer);
        var bytes = BatchBytes.Build(writer.WrittenSpan, 1, RecordCompression.Zstd);
        Assert.Equal("records[0].key", Assert.Throws<KafkaDecodeException>(() => RecordBatch.Decode(bytes)).Field);
    }
}
