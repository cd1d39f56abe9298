using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;
using Record = PartnerZones.Protocol.Records.Record;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// What a Kafka 3.x broker answers a Fetch v0-3 for stored record batches (its down-conversion: magic 0 for
/// v0-1, magic 1 for v2-3), written here from Kafka's rules with <see cref="LegacyBytes"/> and never with the
/// project's converters, in the form of <see cref="MessageSetText"/>:
/// <list type="bullet">
/// <item>control batches (transaction markers) are left out, and so are record headers;</item>
/// <item>an uncompressed batch becomes one message per record, leaving out records before the fetch offset
/// (a magic 0/1 consumer cannot skip inside a batch; some librdkafka versions rely on this);</item>
/// <item>a compressed batch becomes one wrapper with the batch's codec at its last record's offset, all its
/// records inside, numbered from 0 for magic 1 and absolutely for magic 0;</item>
/// <item>magic 1 keeps timestamps; LogAppendTime is flagged on every message and its time replaces them all;
/// a CreateTime wrapper carries its highest inner timestamp;</item>
/// <item>zstd has no magic 0/1 form: the partition answers UNSUPPORTED_COMPRESSION_TYPE and no records.</item>
/// </list>
/// </summary>
public static class KafkaDownConversion
{
    public const short UnsupportedCompressionType = 76;

    private const byte LogAppendTimeBit = 0x08;

    public static (short ErrorCode, List<string> Lines) Expect(IEnumerable<RecordBatch> stored, byte magic, long fetchOffset)
    {
        var lines = new List<string>();
        foreach (var batch in stored)
        {
            if (batch.IsControl)
            {
                continue;
            }

            if (batch.Compression == RecordCompression.Zstd)
            {
                return (UnsupportedCompressionType, []);
            }

            var records = batch.Compression == RecordCompression.None
                ? batch.Records.Where(r => batch.OffsetOf(r) >= fetchOffset).ToList()
                : batch.Records;
            if (records.Count == 0)
            {
                continue;
            }

            var flag = magic > 0 && batch.TimestampType == TimestampType.LogAppendTime ? LogAppendTimeBit : (byte)0;
            long TimestampOf(Record r) => magic == 0 ? -1 : batch.TimestampOf(r);
            if (batch.Compression == RecordCompression.None)
            {
                lines.AddRange(records.Select(r => MessageSetText.Message(
                    LegacyBytes.Entry(batch.OffsetOf(r), magic, flag, TimestampOf(r), Bytes(r.Key), Bytes(r.Value)))));
                continue;
            }

            var first = batch.OffsetOf(records[0]);
            var inner = LegacyBytes.Concat([.. records.Select(r => LegacyBytes.Entry(
                magic > 0 ? batch.OffsetOf(r) - first : batch.OffsetOf(r), magic, flag, TimestampOf(r), Bytes(r.Key), Bytes(r.Value)))]);
            var wrapperTimestamp = batch.TimestampType == TimestampType.LogAppendTime ? batch.MaxTimestamp : records.Max(TimestampOf);
            lines.Add(MessageSetText.Wrapper(batch.OffsetOf(records[^1]), magic, (byte)((byte)batch.Compression | flag), wrapperTimestamp, inner));
        }

        return (0, lines);
    }

    private static byte[]? Bytes(ReadOnlyMemory<byte>? bytes) => bytes is { } present ? present.ToArray() : null;
}
