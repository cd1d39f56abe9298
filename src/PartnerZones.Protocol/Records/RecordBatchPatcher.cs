using System.Buffers.Binary;
using L = PartnerZones.Protocol.Records.RecordBatchLayout;

namespace PartnerZones.Protocol.Records;

/// <summary>
/// In-place edits of encoded batches, for a broker appending to its log: it assigns offsets and its
/// leader epoch without decoding. baseOffset and partitionLeaderEpoch lie before the CRC-covered
/// range, so changing them keeps the CRC valid; edits to covered fields recompute it.
/// Every method first checks the framing of the batch at the start of the span.
/// </summary>
public static class RecordBatchPatcher
{
    public static void SetBaseOffset(Span<byte> batch, long baseOffset)
    {
        RecordBatchHeader.CheckedSize(batch);
        BinaryPrimitives.WriteInt64BigEndian(batch[L.BaseOffset..], baseOffset);
    }

    public static void SetPartitionLeaderEpoch(Span<byte> batch, int partitionLeaderEpoch)
    {
        RecordBatchHeader.CheckedSize(batch);
        BinaryPrimitives.WriteInt32BigEndian(batch[L.PartitionLeaderEpoch..], partitionLeaderEpoch);
    }

    /// <summary>Marks the batch as LogAppendTime with the broker's clock as maxTimestamp (what a topic
    /// with message.timestamp.type=LogAppendTime does), then recomputes the CRC.</summary>
    public static void SetLogAppendTime(Span<byte> batch, long appendTimestamp)
    {
        var size = RecordBatchHeader.CheckedSize(batch);
        var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[L.Attributes..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[L.Attributes..], (short)(attributes | L.TimestampTypeMask));
        BinaryPrimitives.WriteInt64BigEndian(batch[L.MaxTimestamp..], appendTimestamp);
        WriteCrc(batch[..size]);
    }

    /// <summary>Recomputes and stores the CRC after covered bytes changed; returns the new CRC.</summary>
    public static uint UpdateCrc(Span<byte> batch)
    {
        var size = RecordBatchHeader.CheckedSize(batch);
        return WriteCrc(batch[..size]);
    }

    /// <summary>Gives each complete batch of a record set consecutive offsets starting at
    /// <paramref name="firstOffset"/> (a batch takes lastOffsetDelta + 1 offsets) and returns the
    /// next free offset. A partial tail is a decode error here: a log never stores half a batch.</summary>
    public static long AssignOffsets(Span<byte> records, long firstOffset)
    {
        var next = firstOffset;
        var position = 0;
        while (position < records.Length)
        {
            var batch = records[position..];
            var size = RecordBatchHeader.CheckedSize(batch);
            BinaryPrimitives.WriteInt64BigEndian(batch[L.BaseOffset..], next);
            var lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[L.LastOffsetDelta..]);
            if (lastOffsetDelta < 0)
            {
                throw RecordErrors.Malformed("lastOffsetDelta", $"lastOffsetDelta {lastOffsetDelta} is negative");
            }

            next += (long)lastOffsetDelta + 1;
            position += size;
        }

        return next;
    }

    internal static uint WriteCrc(Span<byte> batch)
    {
        var crc = Crc32C.Compute(batch[L.CrcStart..]);
        BinaryPrimitives.WriteUInt32BigEndian(batch[L.Crc..], crc);
        return crc;
    }
}
