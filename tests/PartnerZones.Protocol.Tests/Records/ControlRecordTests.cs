using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;
using Record = PartnerZones.Protocol.Records.Record;

namespace PartnerZones.Protocol.Tests.Records;

public sealed class ControlRecordTests
{
    [Theory]
    [InlineData(ControlRecordType.Abort, "00000000")]
    [InlineData(ControlRecordType.Commit, "00000001")]
    public void Marker_key_and_value_have_the_documented_layout(ControlRecordType type, string keyHex)
    {
        var record = new EndTransactionMarker(type, 0x01020304).ToRecord();
        Assert.Equal(keyHex, Convert.ToHexString(record.Key!.Value.Span));
        Assert.Equal("000001020304", Convert.ToHexString(record.Value!.Value.Span)); // version 0, coordinator epoch
    }

    [Fact]
    public void Marker_batch_round_trips()
    {
        var marker = new EndTransactionMarker(ControlRecordType.Commit, 17);
        var bytes = marker.ToBatch(producerId: 5000, producerEpoch: 2, timestamp: 1_700_000_000_000, partitionLeaderEpoch: 4).ToArray();

        var header = RecordBatchHeader.Read(bytes);
        Assert.True(header.IsControl);
        Assert.True(header.IsTransactional);
        Assert.Equal(5000, header.ProducerId);
        Assert.Equal(2, header.ProducerEpoch);
        Assert.Equal(-1, header.BaseSequence);
        Assert.True(header.Validate());

        var batch = RecordBatch.Decode(bytes);
        var read = EndTransactionMarker.Read(Assert.Single(batch.Records));
        Assert.Equal(marker, read);
    }

    [Fact]
    public void Newer_value_versions_are_read_by_their_leading_fields()
    {
        var record = new Record { Key = Convert.FromHexString("00000000"), Value = Convert.FromHexString("0003000000090000") };
        Assert.Equal(new EndTransactionMarker(ControlRecordType.Abort, 9), EndTransactionMarker.Read(record));
    }

    [Theory]
    [InlineData(null, "000000000001", "controlKey")]        // no key
    [InlineData("0000", "000000000001", "controlKey")]      // key too short
    [InlineData("00010001", "000000000001", "controlKey")]  // unknown key version
    [InlineData("00000002", "000000000001", "controlKey")]  // leader change, not a marker
    [InlineData("00000001", "00000000", "controlValue")]    // value too short
    [InlineData("00000001", null, "controlValue")]          // no value
    [InlineData("00000001", "FFFF00000001", "controlValue")] // negative version
    public void Bad_markers_are_decode_errors(string? keyHex, string? valueHex, string field)
    {
        var record = new Record
        {
            Key = keyHex is null ? null : (ReadOnlyMemory<byte>?)Convert.FromHexString(keyHex),
            Value = valueHex is null ? null : (ReadOnlyMemory<byte>?)Convert.FromHexString(valueHex),
        };
        Assert.Equal(field, Assert.Throws<KafkaDecodeException>(() => EndTransactionMarker.Read(record)).Field);
    }

    [Fact]
    public void Control_type_is_read_from_any_control_key()
    {
        Assert.Equal(ControlRecordType.SnapshotHeader, EndTransactionMarker.ReadType(Convert.FromHexString("00000003")));
        Assert.Throws<ArgumentException>(() => new EndTransactionMarker(ControlRecordType.LeaderChange, 1).ToRecord());
    }
}
