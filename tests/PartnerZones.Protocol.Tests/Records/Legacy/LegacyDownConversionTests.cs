using System.Text;
using K4os.Hash.xxHash;
using PartnerZones.Protocol.Records;
using PartnerZones.Protocol.Records.Legacy;
using static PartnerZones.Testing.KafkaWire.LegacyBytes;
using Record = PartnerZones.Protocol.Records.Record;

namespace PartnerZones.Protocol.Tests.Records.Legacy;

/// <summary>Record batches down-converted for Fetch v0-3: every message field checked against Kafka's rules.</summary>
public sealed class LegacyDownConversionTests
{
    private const long BaseTimestamp = 1_700_000_000_000;

    public static TheoryData<byte, RecordCompression> MagicsAndCodecs()
    {
        var data = new TheoryData<byte, RecordCompression>();
        foreach (var magic in new byte[] { 0, 1 })
        {
            foreach (var codec in new[] { RecordCompression.None, RecordCompression.Gzip, RecordCompression.Snappy, RecordCompression.Lz4 })
            {
                data.Add(magic, codec);
            }
        }

        return data;
    }

    public static TheoryData<byte> Magics() => new(0, 1);

    [Theory]
    [MemberData(nameof(Magics))]
    public void An_uncompressed_batch_becomes_one_message_per_record(byte magic)
    {
        var batch = Batch(500, RecordCompression.None, ("a", "one", 0), (null, "two", 30), ("c", "", -20), ("d", null, 10));

        var messages = Parse(LegacyMessageSets.ToMessageSet(batch.ToArray(), magic));

        Assert.Equal([500L, 501, 502, 503], messages.Select(m => m.Offset));
        Assert.All(messages, m => Assert.Equal(magic, m.Magic));
        Assert.All(messages, m => Assert.Equal(0, m.Attributes));
        Assert.Equal(["a", null, "c", "d"], messages.Select(m => m.KeyText));
        Assert.Equal(["one", "two", "", null], messages.Select(m => m.ValueText));
        Assert.Null(messages[3].Value);
        Assert.Null(messages[1].Key);
        Assert.NotNull(messages[2].Value);
        Assert.Equal(
            magic == 0 ? [-1L, -1, -1, -1] : [BaseTimestamp, BaseTimestamp + 30, BaseTimestamp - 20, BaseTimestamp + 10],
            messages.Select(m => m.Timestamp));
    }

    [Theory]
    [MemberData(nameof(MagicsAndCodecs))]
    public void A_compressed_batch_becomes_one_wrapper_with_its_codec(byte magic, RecordCompression codec)
    {
        if (codec == RecordCompression.None)
        {
            return;
        }

        var batch = Batch(1000, codec, ("k0", "v0", 5), (null, "v1", 50), ("k2", null, 20));

        var messages = Parse(LegacyMessageSets.ToMessageSet(batch.ToArray(), magic));

        var wrapper = Assert.Single(messages);
        Assert.Equal(1002, wrapper.Offset);
        Assert.Equal(magic, wrapper.Magic);
        Assert.Equal((byte)codec, wrapper.Attributes);
        Assert.Null(wrapper.Key);
        Assert.Equal(magic == 0 ? -1 : BaseTimestamp + 50, wrapper.Timestamp);
        Assert.Equal(magic == 0 ? [1000L, 1001, 1002] : [0L, 1, 2], wrapper.Inner.Select(m => m.Offset));
        Assert.All(wrapper.Inner, m => Assert.Equal(magic, m.Magic));
        Assert.All(wrapper.Inner, m => Assert.Equal(0, m.Attributes));
        Assert.Equal(["k0", null, "k2"], wrapper.Inner.Select(m => m.KeyText));
        Assert.Equal(["v0", "v1", null], wrapper.Inner.Select(m => m.ValueText));
        Assert.Equal(magic == 0 ? [-1L, -1, -1] : [BaseTimestamp + 5, BaseTimestamp + 50, BaseTimestamp + 20], wrapper.Inner.Select(m => m.Timestamp));
    }

    [Theory]
    [MemberData(nameof(MagicsAndCodecs))]
    public void Records_survive_down_and_up_conversion(byte magic, RecordCompression codec)
    {
        var original = BatchBytes.Sample(300, seed: 11, codec);
        original.ProducerId = -1;
        original.ProducerEpoch = -1;
        original.BaseSequence = -1;
        var set = LegacyMessageSets.ToMessageSet(original.ToArray(), magic);

        var back = Assert.Single(RecordSet.DecodeAll(LegacyMessageSets.ToRecordBatches(set)));

        Assert.Equal(codec, back.Compression);
        Assert.Equal(original.Records.Count, back.Records.Count);
        for (var i = 0; i < original.Records.Count; i++)
        {
            var (before, after) = (original.Records[i], back.Records[i]);
            BatchBytes.AssertSameBytes(before.Key, after.Key);
            BatchBytes.AssertSameBytes(before.Value, after.Value);
            Assert.Empty(after.Headers);
            Assert.Equal(magic == 0 ? -1 : original.TimestampOf(before), back.TimestampOf(after));
        }
    }

    [Fact]
    public void Compressed_inner_offsets_are_relative_to_the_first_record_kept()
    {
        // Compaction leaves gaps: the batch starts at 200 but its first record is at 203.
        var batch = new RecordBatch { BaseOffset = 200, BaseTimestamp = BaseTimestamp, Compression = RecordCompression.Gzip };
        batch.Records.Add(new Record { OffsetDelta = 3, Value = Utf8("x") });
        batch.Records.Add(new Record { OffsetDelta = 7, Value = Utf8("y") });
        batch.UpdateSummaryFields();

        var magic1 = Assert.Single(Parse(LegacyMessageSets.ToMessageSet(batch.ToArray(), 1)));
        var magic0 = Assert.Single(Parse(LegacyMessageSets.ToMessageSet(batch.ToArray(), 0)));

        Assert.Equal(207, magic1.Offset);
        Assert.Equal([0L, 4], magic1.Inner.Select(m => m.Offset));
        Assert.Equal(207, magic0.Offset);
        Assert.Equal([203L, 207], magic0.Inner.Select(m => m.Offset));
    }

    [Theory]
    [InlineData(RecordCompression.None)]
    [InlineData(RecordCompression.Gzip)]
    public void Log_append_time_is_flagged_and_replaces_every_timestamp(RecordCompression codec)
    {
        var batch = Batch(0, codec, ("a", "1", 0), ("b", "2", 40));
        batch.TimestampType = TimestampType.LogAppendTime;
        batch.MaxTimestamp = 1_800_000_000_000;

        var messages = Parse(LegacyMessageSets.ToMessageSet(batch.ToArray(), 1));
        var all = codec == RecordCompression.None ? messages : [messages[0], .. messages[0].Inner];

        Assert.All(all, m => Assert.Equal(1_800_000_000_000, m.Timestamp));
        Assert.All(all, m => Assert.Equal(LogAppendTimeBit, m.Attributes & LogAppendTimeBit));
        Assert.Equal(0, Parse(LegacyMessageSets.ToMessageSet(batch.ToArray(), 0))[0].Attributes & LogAppendTimeBit);
    }

    [Fact]
    public void Headers_are_dropped()
    {
        var batch = new RecordBatch { BaseOffset = 9, BaseTimestamp = BaseTimestamp };
        batch.Records.Add(BatchBytes.Text("key", "value", 0, ("trace", "abc"), ("other", null)));
        batch.UpdateSummaryFields();

        var message = Assert.Single(Parse(LegacyMessageSets.ToMessageSet(batch.ToArray(), 1)));

        Assert.Equal("key", message.KeyText);
        Assert.Equal("value", message.ValueText);
        Assert.Equal(12 + 4 + 1 + 1 + 8 + 4 + 3 + 4 + 5, LegacyMessageSets.ToMessageSet(batch.ToArray(), 1).Length);
    }

    [Theory]
    [MemberData(nameof(Magics))]
    public void Control_batches_and_empty_batches_are_dropped(byte magic)
    {
        var before = Batch(0, RecordCompression.None, ("a", "1", 0));
        before.ProducerId = 5;
        before.ProducerEpoch = 0;
        before.BaseSequence = 0;
        before.IsTransactional = true;
        var marker = new EndTransactionMarker(ControlRecordType.Commit, 3).ToBatch(5, 0, BaseTimestamp);
        marker.BaseOffset = 1;
        var empty = new RecordBatch { BaseOffset = 2, LastOffsetDelta = 4, BaseTimestamp = BaseTimestamp };
        var after = Batch(7, RecordCompression.Gzip, ("b", "2", 0));

        var messages = Parse(LegacyMessageSets.ToMessageSet(Concat(before.ToArray(), marker.ToArray(), empty.ToArray(), after.ToArray()), magic));

        Assert.Equal([0L, 7], messages.Select(m => m.Offset));
        Assert.Equal("1", messages[0].ValueText);
        Assert.Equal(RecordCompression.Gzip, messages[1].Codec);
        Assert.Equal("2", Assert.Single(messages[1].Inner).ValueText);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(70)]
    public void A_cut_off_last_batch_is_dropped(int keep)
    {
        var first = Batch(0, RecordCompression.None, ("a", "1", 0)).ToArray();
        var second = Batch(1, RecordCompression.Gzip, ("b", "2", 0)).ToArray();

        var messages = Parse(LegacyMessageSets.ToMessageSet(Concat(first, second[..keep]), 1));

        Assert.Equal("1", Assert.Single(messages).ValueText);
    }

    [Theory]
    [MemberData(nameof(Magics))]
    public void A_zstd_batch_is_unsupported(byte magic)
    {
        var bytes = Concat(Batch(0, RecordCompression.None, ("a", "1", 0)).ToArray(), Batch(1, RecordCompression.Zstd, ("b", "2", 0)).ToArray());

        var e = Assert.Throws<LegacyRecordsException>(() => LegacyMessageSets.ToMessageSet(bytes, magic));

        Assert.Equal(76, e.ErrorCode);
    }

    [Fact]
    public void A_batch_with_a_bad_crc_is_corrupt()
    {
        var bytes = Batch(0, RecordCompression.None, ("a", "1", 0)).ToArray();
        bytes[^1] ^= 1;

        var e = Assert.Throws<LegacyRecordsException>(() => LegacyMessageSets.ToMessageSet(bytes, 1));

        Assert.Equal(2, e.ErrorCode);
    }

    [Fact]
    public void Only_magic_0_and_1_can_be_asked_for() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LegacyMessageSets.ToMessageSet(Batch(0, RecordCompression.None, ("a", "1", 0)).ToArray(), 2));

    [Fact]
    public void No_batches_give_an_empty_message_set() => Assert.Empty(LegacyMessageSets.ToMessageSet([], 0));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Lz4_header_checksum_is_old_Kafkas_for_magic0_and_correct_for_magic1(byte magic)
    {
        var batch = Batch(0, RecordCompression.Lz4, ("k", "lz4", 0));

        var wrapper = Assert.Single(Parse(LegacyMessageSets.ToMessageSet(batch.ToArray(), magic)));

        var frame = wrapper.Value!;
        Assert.Equal([0x04, 0x22, 0x4D, 0x18], frame[..4]);
        var hashed = magic == 0 ? frame.AsSpan(0, 6) : frame.AsSpan(4, 2);
        Assert.Equal((byte)((XXH32.DigestOf(hashed) >> 8) & 0xFF), frame[6]);
    }

    [Fact]
    public void Legacy_entries_pass_through_or_go_down_to_magic0()
    {
        var magic1 = Concat(Text(40, 1, 5, "a", "1"), Wrapper(43, 1, RecordCompression.Gzip, 9, Concat(Text(0, 1, 8, "b", "2"), Text(1, 1, 9, "c", "3"))));

        Assert.Equal(magic1, LegacyMessageSets.ToMessageSet(magic1, 1));
        var down = Parse(LegacyMessageSets.ToMessageSet(magic1, 0));
        Assert.Equal([40L, 43], down.Select(m => m.Offset));
        Assert.All(down, m => Assert.Equal(0, m.Magic));
        Assert.Equal([42L, 43], down[1].Inner.Select(m => m.Offset));
        Assert.Equal(["2", "3"], down[1].Inner.Select(m => m.ValueText));
    }

    private static RecordBatch Batch(long baseOffset, RecordCompression codec, params (string? Key, string? Value, long TimestampDelta)[] records)
    {
        var batch = new RecordBatch { BaseOffset = baseOffset, BaseTimestamp = BaseTimestamp, Compression = codec, PartitionLeaderEpoch = 4 };
        for (var i = 0; i < records.Length; i++)
        {
            batch.Records.Add(new Record
            {
                OffsetDelta = i,
                TimestampDelta = records[i].TimestampDelta,
                Key = Memory(records[i].Key),
                Value = Memory(records[i].Value),
            });
        }

        batch.UpdateSummaryFields();
        return batch;
    }

    // A null byte[] converts to empty memory, not null: null is spelled out.
    private static ReadOnlyMemory<byte>? Memory(string? text) => text is null ? null : (ReadOnlyMemory<byte>?)Encoding.UTF8.GetBytes(text);
}
