using PartnerZones.Protocol.Records;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// What a Kafka 3.x broker stores for a Produce v0-2 message set (its up-conversion on append), in lines that
/// compare with Assert.Equal: one record batch at the offset it assigned, with the wrapper's codec (or none),
/// the topic's timestamp type, no producer id, epoch or sequence, not transactional, no headers; each message
/// a record at consecutive offsets with its key and value byte for byte and its timestamp (-1 for magic 0;
/// a LogAppendTime wrapper's for its inner messages; the broker's append time for a LogAppendTime topic).
/// </summary>
public static class KafkaUpConversion
{
    public static List<string> Expect(long baseOffset, byte magic, RecordCompression codec, IReadOnlyList<OldMessage> messages,
        long? wrapperLogAppendTime = null, long? topicLogAppendTime = null)
    {
        var timestamps = messages.Select(m => topicLogAppendTime ?? (magic == 0 ? -1 : wrapperLogAppendTime ?? m.Timestamp)).ToList();
        var type = topicLogAppendTime is null ? TimestampType.CreateTime : TimestampType.LogAppendTime;
        return
        [
            Header(baseOffset, codec, type, timestamps.Max(), messages.Count),
            .. messages.Select((m, i) => Line(baseOffset + i, timestamps[i], m.Key, m.Value, 0)),
        ];
    }

    /// <summary>The same lines for a stored batch.</summary>
    public static List<string> Of(RecordBatch batch) =>
    [
        Header(batch.BaseOffset, batch.Compression, batch.TimestampType, batch.MaxTimestamp, batch.Records.Count,
            batch.ProducerId, batch.ProducerEpoch, batch.BaseSequence, batch.IsTransactional, batch.IsControl),
        .. batch.Records.Select(r => Line(batch.OffsetOf(r), batch.TimestampOf(r), r.Key?.ToArray(), r.Value?.ToArray(), r.Headers.Count)),
    ];

    private static string Header(long baseOffset, RecordCompression codec, TimestampType type, long maxTimestamp, int count,
        long producerId = -1, short epoch = -1, int sequence = -1, bool transactional = false, bool control = false) =>
        $"batch at {baseOffset}: {count} records, {codec}, {type} max {maxTimestamp}, producer {producerId}/{epoch}/{sequence}, transactional {transactional}, control {control}";

    private static string Line(long offset, long timestamp, byte[]? key, byte[]? value, int headers) =>
        $"record {offset} at {timestamp}: key {Hex(key)} value {Hex(value)} headers {headers}";

    private static string Hex(byte[]? bytes) => bytes is null ? "null" : $"[{Convert.ToHexString(bytes)}]";
}
