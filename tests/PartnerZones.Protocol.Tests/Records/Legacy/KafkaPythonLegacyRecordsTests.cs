using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerZones.Protocol.Records;
using PartnerZones.Protocol.Records.Legacy;
using PartnerZones.Testing.ProcessClients;
using Record = PartnerZones.Protocol.Records.Record;

namespace PartnerZones.Protocol.Tests.Records.Legacy;

/// <summary>
/// Compatibility with an independent implementation: kafka-python's own magic 0/1 builder writes
/// message sets that we up-convert, and its reader (what its consumer runs on a fetch response) reads
/// the message sets we down-convert. kafka-python on this machine has gzip but no snappy or lz4
/// module, so those two codecs are covered by the byte-level tests and the embedded-cluster tests.
/// </summary>
public sealed class KafkaPythonLegacyRecordsTests
{
    private static readonly (string? Key, string? Value, long Timestamp)[] Messages =
    [
        ("k0", "first value", 1_700_000_000_000),
        (null, "no key", 1_700_000_000_400),
        ("k2", "", 1_700_000_000_100),
        ("k3", null, 1_700_000_000_900),
        ("ключ", "ünïcödé ✓", 1_700_000_000_200),
    ];

    public static TheoryData<byte, RecordCompression> Cases() => new()
    {
        { 0, RecordCompression.None },
        { 0, RecordCompression.Gzip },
        { 1, RecordCompression.None },
        { 1, RecordCompression.Gzip },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Message_sets_kafka_python_builds_up_convert(byte magic, RecordCompression codec)
    {
        var request = new JsonObject
        {
            ["magic"] = magic,
            ["codec"] = (int)codec,
            ["messages"] = new JsonArray([.. Messages.Select((m, i) => new JsonObject
            {
                ["offset"] = i,
                ["timestamp"] = m.Timestamp,
                ["key"] = Hex(m.Key),
                ["value"] = Hex(m.Value),
            })]),
        };
        var built = Convert.FromHexString((await RunAsync("build", request)).GetProperty("bytes").GetString()!);
        Assert.Equal(magic, LegacyMessageSets.MagicOf(built));

        var batch = Assert.Single(RecordSet.DecodeAll(LegacyMessageSets.ToRecordBatches(built)));

        Assert.Equal(codec, batch.Compression);
        Assert.Equal(0, batch.BaseOffset);
        Assert.Equal(Messages.Length - 1, batch.LastOffsetDelta);
        Assert.Equal(-1, batch.ProducerId);
        Assert.Equal(magic == 0 ? -1 : Messages.Max(m => m.Timestamp), batch.MaxTimestamp);
        for (var i = 0; i < Messages.Length; i++)
        {
            var record = batch.Records[i];
            Assert.Equal(i, record.OffsetDelta);
            Assert.Equal(Messages[i].Key, Text(record.Key));
            Assert.Equal(Messages[i].Value, Text(record.Value));
            Assert.Equal(magic == 0 ? -1 : Messages[i].Timestamp, batch.TimestampOf(record));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Kafka_python_reads_the_message_sets_we_down_convert(byte magic, RecordCompression codec)
    {
        var batch = new RecordBatch { BaseOffset = 4200, BaseTimestamp = Messages[0].Timestamp, Compression = codec, PartitionLeaderEpoch = 3 };
        for (var i = 0; i < Messages.Length; i++)
        {
            batch.Records.Add(new Record
            {
                OffsetDelta = i,
                TimestampDelta = Messages[i].Timestamp - Messages[0].Timestamp,
                Key = Bytes(Messages[i].Key),
                Value = Bytes(Messages[i].Value),
                Headers = [new RecordHeader("dropped", Bytes("header"))],
            });
        }

        batch.UpdateSummaryFields();
        var set = LegacyMessageSets.ToMessageSet(batch.ToArray(), magic);

        var read = await RunAsync("read", new JsonObject { ["bytes"] = Convert.ToHexString(set) });

        var batches = read.GetProperty("batches").EnumerateArray().ToList();
        Assert.Equal(codec == RecordCompression.None ? Messages.Length : 1, batches.Count);
        var records = new List<JsonElement>();
        foreach (var legacy in batches)
        {
            Assert.True(legacy.GetProperty("crc_ok").GetBoolean());
            Assert.Equal(magic, legacy.GetProperty("magic").GetInt32());
            Assert.Equal((int)codec, legacy.GetProperty("compression").GetInt32());
            records.AddRange(legacy.GetProperty("records").EnumerateArray());
        }

        Assert.Equal(Messages.Length, records.Count);
        for (var i = 0; i < Messages.Length; i++)
        {
            Assert.Equal(4200 + i, records[i].GetProperty("offset").GetInt64());
            Assert.Equal(Hex(Messages[i].Key), NullableString(records[i].GetProperty("key")));
            Assert.Equal(Hex(Messages[i].Value), NullableString(records[i].GetProperty("value")));
            var timestamp = records[i].GetProperty("timestamp");
            if (magic == 0)
            {
                Assert.Equal(JsonValueKind.Null, timestamp.ValueKind);
            }
            else
            {
                Assert.Equal(Messages[i].Timestamp, timestamp.GetInt64());
            }
        }
    }

    [Fact]
    public async Task Kafka_python_sees_log_append_time_in_a_magic1_wrapper()
    {
        var batch = new RecordBatch { BaseOffset = 7, BaseTimestamp = 5, Compression = RecordCompression.Gzip, TimestampType = TimestampType.LogAppendTime, MaxTimestamp = 1_750_000_000_000 };
        batch.Records.Add(new Record { OffsetDelta = 0, Value = Bytes("a") });
        batch.Records.Add(new Record { OffsetDelta = 1, Value = Bytes("b") });
        batch.LastOffsetDelta = 1;

        var read = await RunAsync("read", new JsonObject { ["bytes"] = Convert.ToHexString(LegacyMessageSets.ToMessageSet(batch.ToArray(), 1)) });

        var legacy = Assert.Single(read.GetProperty("batches").EnumerateArray());
        Assert.Equal(1, legacy.GetProperty("timestamp_type").GetInt32());
        Assert.All(legacy.GetProperty("records").EnumerateArray(), r => Assert.Equal(1_750_000_000_000, r.GetProperty("timestamp").GetInt64()));
        Assert.Equal([7L, 8], legacy.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("offset").GetInt64()));
    }

    private static async Task<JsonElement> RunAsync(string command, JsonObject request)
    {
        var run = await ClientProcess.RunAsync(
            ClientTools.Python("kafka"),
            [ClientTools.PythonScript("kafka_python_legacy_records.py"), command],
            TimeSpan.FromSeconds(60),
            request.ToJsonString());
        Assert.True(run.Succeeded, run.Describe());
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    private static string? Hex(string? text) => text is null ? null : Convert.ToHexString(Encoding.UTF8.GetBytes(text)).ToLowerInvariant();

    private static string? NullableString(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetString();

    private static string? Text(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Encoding.UTF8.GetString(b.Span) : null;

    // A null byte[] would convert to empty memory: null is kept as the nullable's null.
    private static ReadOnlyMemory<byte>? Bytes(string? text) => text is null ? null : (ReadOnlyMemory<byte>?)Encoding.UTF8.GetBytes(text);
}
