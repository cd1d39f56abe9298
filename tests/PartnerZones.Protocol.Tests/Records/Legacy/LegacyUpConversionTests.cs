using System.Buffers.Binary;
using System.Text;
using PartnerZones.Protocol.Records;
using PartnerZones.Protocol.Records.Legacy;
using static PartnerZones.Testing.KafkaWire.LegacyBytes;

namespace PartnerZones.Protocol.Tests.Records.Legacy;

/// <summary>Produce v0-2 message sets up-converted to record batches: every header field and record checked.</summary>
public sealed class LegacyUpConversionTests
{
    public static TheoryData<byte, RecordCompression> MagicsAndCodecs()
    {
        var data = new TheoryData<byte, RecordCompression>();
        foreach (var magic in new byte[] { 0, 1 })
        {
            foreach (var codec in new[] { RecordCompression.Gzip, RecordCompression.Snappy, RecordCompression.Lz4 })
            {
                data.Add(magic, codec);
            }
        }

        return data;
    }

    [Fact]
    public void Magic_is_read_at_byte_16_of_each_format()
    {
        Assert.Equal(0, LegacyMessageSets.MagicOf(Text(0, 0, -1, "k", "v")));
        Assert.Equal(1, LegacyMessageSets.MagicOf(Text(0, 1, 5, "k", "v")));
        Assert.Equal(2, LegacyMessageSets.MagicOf(BatchBytes.Sample(1, seed: 1).ToArray()));
        Assert.Equal(-1, LegacyMessageSets.MagicOf(new byte[16]));
        Assert.Equal(-1, LegacyMessageSets.MagicOf([]));
    }

    [Fact]
    public void Magic0_messages_become_one_batch_without_timestamps()
    {
        var set = Concat(Text(0, 0, -1, "a", "one"), Text(0, 0, -1, null, "two"), Text(0, 0, -1, "c", ""), Text(0, 0, -1, "d", null));

        var bytes = LegacyMessageSets.ToRecordBatches(set);

        var header = RecordBatchHeader.Read(bytes);
        Assert.Equal(bytes.Length, header.TotalSize);
        Assert.Equal(0, header.BaseOffset);
        Assert.Equal(2, header.Magic);
        Assert.Equal(0, header.Attributes);
        Assert.Equal(3, header.LastOffsetDelta);
        Assert.Equal(-1, header.BaseTimestamp);
        Assert.Equal(-1, header.MaxTimestamp);
        Assert.Equal(-1, header.ProducerId);
        Assert.Equal(-1, header.ProducerEpoch);
        Assert.Equal(-1, header.BaseSequence);
        Assert.Equal(-1, header.PartitionLeaderEpoch);
        Assert.Equal(4, header.RecordCount);
        Assert.True(header.Validate());

        var batch = RecordBatch.Decode(bytes);
        AssertRecords(batch, ("a", "one", -1), (null, "two", -1), ("c", "", -1), ("d", null, -1));
        Assert.All(batch.Records, r => Assert.Empty(r.Headers));
    }

    [Fact]
    public void Magic1_messages_keep_their_timestamps()
    {
        var set = Concat(Text(17, 1, 1_700_000_000_500, "a", "one"), Text(18, 1, 1_700_000_000_100, "b", "two"), Text(19, 1, 1_700_000_000_900, null, null));

        var batch = RecordBatch.Decode(LegacyMessageSets.ToRecordBatches(set));

        Assert.Equal(0, batch.BaseOffset);
        Assert.Equal(TimestampType.CreateTime, batch.TimestampType);
        Assert.Equal(RecordCompression.None, batch.Compression);
        Assert.Equal(1_700_000_000_500, batch.BaseTimestamp);
        Assert.Equal(1_700_000_000_900, batch.MaxTimestamp);
        AssertRecords(batch, ("a", "one", 1_700_000_000_500), ("b", "two", 1_700_000_000_100), (null, null, 1_700_000_000_900));
    }

    [Theory]
    [MemberData(nameof(MagicsAndCodecs))]
    public void A_wrapper_becomes_one_batch_with_its_codec(byte magic, RecordCompression codec)
    {
        var inner = Concat(Text(0, magic, 1000, "k0", "v0"), Text(1, magic, 3000, null, "v1"), Text(2, magic, 2000, "k2", null), Text(3, magic, 2500, "k3", ""));
        var set = Wrapper(3, magic, codec, 3000, inner);

        var bytes = LegacyMessageSets.ToRecordBatches(set);

        var header = RecordBatchHeader.Read(bytes);
        Assert.Equal(bytes.Length, header.TotalSize);
        Assert.Equal(codec, header.Compression);
        Assert.Equal((short)codec, header.Attributes);
        Assert.Equal(0, header.BaseOffset);
        Assert.Equal(3, header.LastOffsetDelta);
        Assert.Equal(-1, header.ProducerId);
        var batch = RecordBatch.Decode(bytes);
        var ts = magic == 0 ? new long[] { -1, -1, -1, -1 } : [1000, 3000, 2000, 2500];
        Assert.Equal(magic == 0 ? -1 : 3000, batch.MaxTimestamp);
        AssertRecords(batch, ("k0", "v0", ts[0]), (null, "v1", ts[1]), ("k2", null, ts[2]), ("k3", "", ts[3]));
    }

    [Fact]
    public void Runs_and_wrappers_become_consecutive_batches()
    {
        var set = Concat(
            Text(0, 1, 10, "a", "1"),
            Text(1, 1, 11, "b", "2"),
            Wrapper(1, 1, RecordCompression.Gzip, 13, Concat(Text(0, 1, 12, "c", "3"), Text(1, 1, 13, "d", "4"))),
            Text(4, 1, 14, "e", "5"));

        var batches = RecordSet.DecodeAll(LegacyMessageSets.ToRecordBatches(set));

        Assert.Equal([0L, 2, 4], batches.Select(b => b.BaseOffset));
        Assert.Equal([RecordCompression.None, RecordCompression.Gzip, RecordCompression.None], batches.Select(b => b.Compression));
        Assert.Equal([1, 1, 0], batches.Select(b => b.LastOffsetDelta));
        AssertRecords(batches[1], ("c", "3", 12), ("d", "4", 13));
        AssertRecords(batches[2], ("e", "5", 14));
    }

    [Fact]
    public void A_log_append_time_wrapper_gives_every_record_its_timestamp()
    {
        var inner = Concat(Text(0, 1, 5, "a", "1", LogAppendTimeBit), Text(1, 1, 6, "b", "2", LogAppendTimeBit));
        var set = Wrapper(1, 1, RecordCompression.Gzip, 99_000, inner, logAppendTime: true);

        var batch = RecordBatch.Decode(LegacyMessageSets.ToRecordBatches(set));

        Assert.Equal(TimestampType.LogAppendTime, batch.TimestampType);
        Assert.Equal(99_000, batch.MaxTimestamp);
        Assert.All(batch.Records, r => Assert.Equal(99_000, batch.TimestampOf(r)));
    }

    [Fact]
    public void The_timestamp_type_bit_is_kept_for_magic1_and_ignored_for_magic0()
    {
        var magic1 = RecordBatch.Decode(LegacyMessageSets.ToRecordBatches(Text(0, 1, 77, "a", "1", LogAppendTimeBit)));
        var magic0 = RecordBatch.Decode(LegacyMessageSets.ToRecordBatches(Text(0, 0, -1, "a", "1", LogAppendTimeBit)));

        Assert.Equal(TimestampType.LogAppendTime, magic1.TimestampType);
        Assert.Equal(77, magic1.MaxTimestamp);
        Assert.Equal(TimestampType.CreateTime, magic0.TimestampType);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(1, true)]
    public void Lz4_frames_with_either_header_checksum_are_read(byte magic, bool broken)
    {
        var set = Wrapper(0, magic, RecordCompression.Lz4, 5, Text(0, magic, 5, "k", "lz4 value"), brokenLz4Checksum: broken);

        var batch = RecordBatch.Decode(LegacyMessageSets.ToRecordBatches(set));

        AssertRecords(batch, ("k", "lz4 value", magic == 0 ? -1 : 5));
    }

    [Fact]
    public void A_magic1_lz4_frame_with_a_wrong_header_checksum_is_corrupt()
    {
        var inner = Text(0, 1, 5, "k", "v");
        var compressed = Compress(RecordCompression.Lz4, inner);
        compressed[6] ^= 0x5A;
        var set = Entry(0, 1, (byte)RecordCompression.Lz4, 5, null, compressed);

        AssertRefused(set, 2);
    }

    [Fact]
    public void Empty_input_gives_no_batches() => Assert.Empty(LegacyMessageSets.ToRecordBatches([]));

    [Fact]
    public void A_bad_crc_is_corrupt()
    {
        var set = Text(0, 1, 5, "key", "value");
        set[^1] ^= 1;

        AssertRefused(set, 2);
    }

    [Fact]
    public void A_bad_inner_crc_is_corrupt()
    {
        var inner = Text(0, 1, 5, "key", "value");
        inner[^1] ^= 1;

        AssertRefused(Wrapper(0, 1, RecordCompression.Gzip, 5, inner), 2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(25)]
    public void A_cut_off_message_is_corrupt(int missing)
    {
        var set = Concat(Text(0, 1, 5, "key", "value"), Text(1, 1, 5, "key", "value"));

        AssertRefused(set[..^missing], 2);
    }

    [Fact]
    public void A_message_size_below_the_smallest_message_is_corrupt()
    {
        var set = Text(0, 0, -1, null, null);
        BinaryPrimitives.WriteInt32BigEndian(set.AsSpan(8), 13);

        AssertRefused(set, 2);
    }

    [Fact]
    public void A_key_length_past_the_message_is_corrupt()
    {
        var set = Text(0, 0, -1, "key", "value");
        BinaryPrimitives.WriteInt32BigEndian(set.AsSpan(18), 100);
        BinaryPrimitives.WriteUInt32BigEndian(set.AsSpan(12), Crc32Bitwise(set.AsSpan(16)));

        AssertRefused(set, 2);
    }

    [Fact]
    public void Undecompressable_data_is_corrupt() =>
        AssertRefused(Entry(0, 1, (byte)RecordCompression.Gzip, 5, null, Encoding.UTF8.GetBytes("not gzip at all")), 2);

    [Fact]
    public void Nested_compression_is_invalid()
    {
        var nested = Wrapper(0, 1, RecordCompression.Gzip, 5, Text(0, 1, 5, "k", "v"));

        AssertRefused(Wrapper(0, 1, RecordCompression.Gzip, 5, nested), 87);
    }

    [Fact]
    public void An_inner_magic_other_than_the_wrappers_is_invalid() =>
        AssertRefused(Wrapper(0, 1, RecordCompression.Gzip, 5, Text(0, 0, -1, "k", "v")), 87);

    [Fact]
    public void Magic1_inner_offsets_must_count_from_zero() =>
        AssertRefused(Wrapper(1, 1, RecordCompression.Gzip, 5, Concat(Text(0, 1, 5, "a", "1"), Text(5, 1, 5, "b", "2"))), 87);

    [Fact]
    public void Magic0_inner_offsets_are_not_checked()
    {
        var set = Wrapper(0, 0, RecordCompression.Gzip, -1, Concat(Text(40, 0, -1, "a", "1"), Text(7, 0, -1, "b", "2")));

        var batch = RecordBatch.Decode(LegacyMessageSets.ToRecordBatches(set));

        Assert.Equal([0, 1], batch.Records.Select(r => r.OffsetDelta));
    }

    [Fact]
    public void A_wrapper_without_inner_messages_is_invalid() =>
        AssertRefused(Wrapper(0, 1, RecordCompression.Gzip, 5, []), 87);

    [Fact]
    public void A_wrapper_with_a_null_value_is_invalid() =>
        AssertRefused(Entry(0, 1, (byte)RecordCompression.Snappy, 5, null, null), 87);

    [Fact]
    public void An_unknown_codec_is_invalid() =>
        AssertRefused(Entry(0, 1, 6, 5, null, [1, 2, 3]), 87);

    [Fact]
    public void A_zstd_wrapper_is_unsupported() =>
        AssertRefused(Entry(0, 1, (byte)RecordCompression.Zstd, 5, null, Compress(RecordCompression.Zstd, Text(0, 1, 5, "k", "v"))), 76);

    [Fact]
    public void A_record_batch_in_a_message_set_is_invalid() =>
        AssertRefused(Concat(Text(0, 1, 5, "k", "v"), BatchBytes.Sample(2, seed: 3).ToArray()), 87);

    private static void AssertRefused(byte[] set, short errorCode)
    {
        var e = Assert.Throws<LegacyRecordsException>(() => LegacyMessageSets.ToRecordBatches(set));
        Assert.Equal(errorCode, e.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    private static void AssertRecords(RecordBatch batch, params (string? Key, string? Value, long Timestamp)[] expected)
    {
        Assert.Equal(expected.Length, batch.Records.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var record = batch.Records[i];
            Assert.Equal(i, record.OffsetDelta);
            Assert.Equal(0, record.Attributes);
            Assert.Equal(expected[i].Key, record.Key is { } k ? Encoding.UTF8.GetString(k.Span) : null);
            Assert.Equal(expected[i].Value, record.Value is { } v ? Encoding.UTF8.GetString(v.Span) : null);
            Assert.Equal(expected[i].Timestamp, batch.TimestampOf(record));
        }
    }
}
