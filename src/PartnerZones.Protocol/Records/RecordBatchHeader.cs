using System.Buffers.Binary;
using L = PartnerZones.Protocol.Records.RecordBatchLayout;

namespace PartnerZones.Protocol.Records;

/// <summary>
/// A zero-copy view of one complete magic-2 record batch: every header field is read in place on
/// demand, so routing, offset assignment and CRC checks never decode or copy a record. The view
/// always spans exactly one whole batch (<see cref="TotalSize"/> bytes).
/// </summary>
public readonly ref struct RecordBatchHeader
{
    private readonly ReadOnlySpan<byte> _batch;

    private RecordBatchHeader(ReadOnlySpan<byte> batch) => _batch = batch;

    /// <summary>Views the batch at the start of <paramref name="data"/>; bytes after it are ignored.
    /// Throws <see cref="Primitives.KafkaDecodeException"/> when the batch is cut off, its length is
    /// impossible or its magic is not 2.</summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> data)
    {
        var size = CheckedSize(data);
        return new RecordBatchHeader(data[..size]);
    }

    /// <summary>Like <see cref="Read"/>, but false instead of an exception.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RecordBatchHeader header)
    {
        header = default;
        if (data.Length < L.HeaderSize)
        {
            return false;
        }

        var batchLength = BinaryPrimitives.ReadInt32BigEndian(data[L.BatchLength..]);
        if (batchLength < L.MinBatchLength || batchLength > data.Length - L.LogOverhead || data[L.Magic] != L.CurrentMagic)
        {
            return false;
        }

        header = new RecordBatchHeader(data[..(batchLength + L.LogOverhead)]);
        return true;
    }

    /// <summary>Checks the framing of the batch at the start of <paramref name="data"/> and returns its total size.</summary>
    internal static int CheckedSize(ReadOnlySpan<byte> data)
    {
        if (data.Length < L.LogOverhead)
        {
            throw RecordErrors.Malformed("batchLength", $"batch is cut off after {data.Length} bytes, before its length");
        }

        var batchLength = BinaryPrimitives.ReadInt32BigEndian(data[L.BatchLength..]);
        if (batchLength < L.MinBatchLength)
        {
            throw RecordErrors.Malformed("batchLength", $"batchLength {batchLength} is smaller than the {L.MinBatchLength}-byte header");
        }

        if (batchLength > data.Length - L.LogOverhead)
        {
            throw RecordErrors.Malformed("batchLength", $"batchLength {batchLength} is larger than the {data.Length - L.LogOverhead} bytes that remain");
        }

        if (data[L.Magic] != L.CurrentMagic)
        {
            throw RecordErrors.Malformed("magic", $"magic {(sbyte)data[L.Magic]} is not supported; only magic 2 record batches are");
        }

        return batchLength + L.LogOverhead;
    }

    /// <summary>The whole batch, header included.</summary>
    public ReadOnlySpan<byte> Bytes => _batch;

    /// <summary>The bytes after the header: the records, compressed when <see cref="Compression"/> is not None.</summary>
    public ReadOnlySpan<byte> RecordsBytes => _batch[L.HeaderSize..];

    public int TotalSize => _batch.Length;

    public long BaseOffset => BinaryPrimitives.ReadInt64BigEndian(_batch[L.BaseOffset..]);

    /// <summary>Bytes after the batchLength field, up to the end of the batch.</summary>
    public int BatchLength => BinaryPrimitives.ReadInt32BigEndian(_batch[L.BatchLength..]);

    public int PartitionLeaderEpoch => BinaryPrimitives.ReadInt32BigEndian(_batch[L.PartitionLeaderEpoch..]);

    public sbyte Magic => (sbyte)_batch[L.Magic];

    public uint Crc => BinaryPrimitives.ReadUInt32BigEndian(_batch[L.Crc..]);

    public short Attributes => BinaryPrimitives.ReadInt16BigEndian(_batch[L.Attributes..]);

    public int LastOffsetDelta => BinaryPrimitives.ReadInt32BigEndian(_batch[L.LastOffsetDelta..]);

    public long BaseTimestamp => BinaryPrimitives.ReadInt64BigEndian(_batch[L.BaseTimestamp..]);

    public long MaxTimestamp => BinaryPrimitives.ReadInt64BigEndian(_batch[L.MaxTimestamp..]);

    public long ProducerId => BinaryPrimitives.ReadInt64BigEndian(_batch[L.ProducerId..]);

    public short ProducerEpoch => BinaryPrimitives.ReadInt16BigEndian(_batch[L.ProducerEpoch..]);

    public int BaseSequence => BinaryPrimitives.ReadInt32BigEndian(_batch[L.BaseSequence..]);

    /// <summary>The record count as claimed; it is not checked against the bytes here.</summary>
    public int RecordCount => BinaryPrimitives.ReadInt32BigEndian(_batch[L.RecordCount..]);

    public RecordCompression Compression => (RecordCompression)(Attributes & L.CompressionMask);

    public TimestampType TimestampType => (Attributes & L.TimestampTypeMask) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;

    public bool IsTransactional => (Attributes & L.TransactionalMask) != 0;

    public bool IsControl => (Attributes & L.ControlMask) != 0;

    /// <summary>Set by compaction when tombstones carry a delete horizon; the horizon is then <see cref="BaseTimestamp"/>.</summary>
    public bool HasDeleteHorizon => (Attributes & L.DeleteHorizonMask) != 0;

    /// <summary>The offset of the last record (including ones removed by compaction).</summary>
    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>The offset the next batch in the log starts at.</summary>
    public long NextOffset => LastOffset + 1;

    /// <summary>The CRC-32C of the covered bytes (attributes to the end) as they are now.</summary>
    public uint ComputeCrc() => Crc32C.Compute(_batch[L.CrcStart..]);

    /// <summary>True when the stored CRC matches the bytes.</summary>
    public bool Validate() => ComputeCrc() == Crc;
}
