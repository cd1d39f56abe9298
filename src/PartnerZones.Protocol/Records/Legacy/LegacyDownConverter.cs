using System.Buffers.Binary;
using PartnerZones.Protocol.Primitives;
using L = PartnerZones.Protocol.Records.Legacy.LegacyMessageLayout;

namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// Turns fetched record batches into a magic 0 or 1 message set, as a Kafka 3.x broker does for
/// Fetch v0-3: each record keeps its absolute offset (and for magic 1 its timestamp); an uncompressed
/// batch becomes one message per record, a compressed one a wrapper message with the batch's codec
/// whose offset is its last record's. Control batches and record headers have no legacy form and are
/// dropped; zstd has none either and is refused. A cut-off last batch is dropped, as Kafka drops it.
/// Legacy entries among the batches (data written before magic 2) pass through, or go from magic 1
/// to magic 0 when asked.
/// </summary>
internal static class LegacyDownConverter
{
    public static byte[] Convert(ReadOnlyMemory<byte> records, byte magic)
    {
        using var output = new KafkaWriter(records.Length + 256);
        var entries = new List<LegacyEntry>();
        var position = 0;
        while (records.Length - position >= L.LogOverhead)
        {
            var rest = records[position..];
            var size = BinaryPrimitives.ReadInt32BigEndian(rest.Span[L.MessageSize..]);
            if (size < L.MinSizeV0)
            {
                throw LegacyErrors.Corrupt($"the entry at byte {position} has size {size}, smaller than any message or batch");
            }

            if (size > rest.Length - L.LogOverhead)
            {
                break;
            }

            var entry = rest[..(L.LogOverhead + size)];
            var entryMagic = entry.Span[L.Magic];
            if (entryMagic == RecordBatchLayout.CurrentMagic)
            {
                if (DecodeBatch(entry) is { } batch)
                {
                    FromBatch(batch, entries);
                    var logAppendTime = batch.TimestampType == TimestampType.LogAppendTime ? batch.MaxTimestamp : RecordBatch.None;
                    Write(output, magic, batch.Compression, batch.TimestampType, logAppendTime, entries);
                }
            }
            else if (entryMagic <= magic)
            {
                // Already in a format the client reads: Kafka sends such entries as they are.
                output.WriteRaw(entry.Span);
            }
            else if (entryMagic == 1)
            {
                var codec = FromLegacy(entry, entries);
                Write(output, magic, codec, TimestampType.CreateTime, RecordBatch.None, entries);
            }
            else
            {
                throw LegacyErrors.Corrupt($"the entry at byte {position} has magic {entryMagic}, which Kafka does not define");
            }

            position += entry.Length;
        }

        return output.ToArray();
    }

    private static void FromBatch(RecordBatch batch, List<LegacyEntry> list)
    {
        list.Clear();
        foreach (var record in batch.Records)
        {
            list.Add(new LegacyEntry(batch.OffsetOf(record), batch.TimestampOf(record), record.Key, record.Value));
        }
    }

    /// <summary>The batch's records, or null for a batch with nothing a legacy client may see.</summary>
    private static RecordBatch? DecodeBatch(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length < RecordBatchLayout.HeaderSize)
        {
            throw LegacyErrors.Corrupt($"a record batch of {bytes.Length} bytes is shorter than the {RecordBatchLayout.HeaderSize}-byte batch header");
        }

        var header = RecordBatchHeader.Read(bytes.Span);
        if (!header.Validate())
        {
            throw LegacyErrors.Corrupt($"the record batch at offset {header.BaseOffset} fails its CRC-32C check");
        }

        // Transaction markers: consumers of magic 0/1 know nothing of transactions.
        if (header.IsControl)
        {
            return null;
        }

        if (header.Compression == RecordCompression.Zstd)
        {
            throw LegacyErrors.UnsupportedCompression($"the record batch at offset {header.BaseOffset} is compressed with zstd, which magic 0 and 1 cannot carry");
        }

        try
        {
            var batch = RecordBatch.Decode(bytes, RecordBatch.DefaultMaxDecompressedBytes, verifyCrc: false);
            return batch.Records.Count == 0 ? null : batch;
        }
        catch (KafkaDecodeException e)
        {
            throw LegacyErrors.Corrupt($"the record batch at offset {header.BaseOffset} is malformed: {e.Message}");
        }
    }

    /// <summary>The records of a magic-1 entry on their way to magic 0: an uncompressed message is one
    /// record, a wrapper is its inner messages at their absolute offsets.</summary>
    private static RecordCompression FromLegacy(ReadOnlyMemory<byte> bytes, List<LegacyEntry> list)
    {
        if (!LegacyMessageReader.TryRead(bytes, out var message, out _))
        {
            throw LegacyErrors.Corrupt("a magic-1 message is cut off");
        }

        list.Clear();
        if (message.Codec == RecordCompression.None)
        {
            list.Add(new LegacyEntry(message.Offset, message.Timestamp, message.Key, message.Value));
            return RecordCompression.None;
        }

        var inner = LegacyWrapper.ReadInner(message, RecordBatch.DefaultMaxDecompressedBytes);
        for (var i = 0; i < inner.Count; i++)
        {
            list.Add(new LegacyEntry(LegacyWrapper.AbsoluteOffset(message, inner, i), LegacyWrapper.TimestampOf(message, inner[i]), inner[i].Key, inner[i].Value));
        }

        return message.Codec;
    }

    /// <summary>Writes records as Kafka's builder does for magic 0/1. LogAppendTime replaces every
    /// timestamp with the append time and is flagged on every message (magic 1). Compressed: inner
    /// offsets are relative to the first record for magic 1 and absolute for magic 0, and the wrapper
    /// carries the last record's offset and the highest timestamp.</summary>
    private static void Write(KafkaWriter output, byte magic, RecordCompression codec, TimestampType timestampType, long logAppendTime, List<LegacyEntry> entries)
    {
        var innerAttributes = LegacyMessageWriter.Attributes(RecordCompression.None, magic, timestampType);
        if (codec == RecordCompression.None)
        {
            foreach (var entry in entries)
            {
                var timestamp = timestampType == TimestampType.LogAppendTime ? logAppendTime : entry.Timestamp;
                LegacyMessageWriter.Write(output, entry.Offset, magic, innerAttributes, timestamp, entry.Key, entry.Value);
            }

            return;
        }

        using var inner = new KafkaWriter(4096);
        var firstOffset = entries[0].Offset;
        long maxTimestamp = RecordBatch.None;
        foreach (var entry in entries)
        {
            var timestamp = timestampType == TimestampType.LogAppendTime ? logAppendTime : entry.Timestamp;
            var offset = magic > 0 ? entry.Offset - firstOffset : entry.Offset;
            LegacyMessageWriter.Write(inner, offset, magic, innerAttributes, timestamp, entry.Key, entry.Value);
            maxTimestamp = Math.Max(maxTimestamp, timestamp);
        }

        var wrapperTimestamp = timestampType == TimestampType.LogAppendTime ? logAppendTime : maxTimestamp;
        var start = LegacyMessageWriter.Begin(output, entries[^1].Offset, magic, LegacyMessageWriter.Attributes(codec, magic, timestampType), wrapperTimestamp);
        output.WriteInt32(-1);
        var valueLengthAt = output.ReserveInt32();
        var valueStart = output.Position;
        LegacyCompression.Compress(codec, magic, inner.WrittenSpan, output);
        output.PatchInt32(valueLengthAt, output.Position - valueStart);
        LegacyMessageWriter.End(output, start);
    }

    /// <summary>One record on its way to a legacy message.</summary>
    private readonly record struct LegacyEntry(long Offset, long Timestamp, ReadOnlyMemory<byte>? Key, ReadOnlyMemory<byte>? Value);
}
