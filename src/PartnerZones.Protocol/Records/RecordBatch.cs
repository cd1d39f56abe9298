using PartnerZones.Protocol.Primitives;
using L = PartnerZones.Protocol.Records.RecordBatchLayout;

namespace PartnerZones.Protocol.Records;

/// <summary>
/// A decoded magic-2 record batch: the header fields and the records. <see cref="Decode"/> reads
/// (and decompresses) one batch; <see cref="Encode"/> writes one, compressing and filling in
/// batchLength, recordCount and the CRC. Every other header field is written as set, so a decoded
/// batch re-encodes to the same bytes (for the same codec output).
/// For a quick look at a batch without decoding it, use <see cref="RecordBatchHeader"/>.
/// </summary>
public sealed class RecordBatch
{
    /// <summary>Default cap on a batch's decompressed size: far above Kafka's default 1 MiB message
    /// limit, far below what a decompression bomb would need to hurt.</summary>
    public const int DefaultMaxDecompressedBytes = 64 * 1024 * 1024;

    /// <summary>Kafka's "no producer id / epoch / sequence" and "no timestamp" value.</summary>
    public const int None = -1;

    public long BaseOffset { get; set; }

    public int PartitionLeaderEpoch { get; set; } = None;

    /// <summary>The raw attributes; the properties below read and set their bits.</summary>
    public short Attributes { get; set; }

    public int LastOffsetDelta { get; set; }

    public long BaseTimestamp { get; set; } = None;

    public long MaxTimestamp { get; set; } = None;

    public long ProducerId { get; set; } = None;

    public short ProducerEpoch { get; set; } = None;

    public int BaseSequence { get; set; } = None;

    public List<Record> Records { get; set; } = [];

    public RecordCompression Compression
    {
        get => (RecordCompression)(Attributes & L.CompressionMask);
        set => Attributes = (short)((Attributes & ~L.CompressionMask) | ((int)value & L.CompressionMask));
    }

    public TimestampType TimestampType
    {
        get => (Attributes & L.TimestampTypeMask) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;
        set => SetBit(L.TimestampTypeMask, value == TimestampType.LogAppendTime);
    }

    public bool IsTransactional
    {
        get => (Attributes & L.TransactionalMask) != 0;
        set => SetBit(L.TransactionalMask, value);
    }

    public bool IsControl
    {
        get => (Attributes & L.ControlMask) != 0;
        set => SetBit(L.ControlMask, value);
    }

    public bool HasDeleteHorizon
    {
        get => (Attributes & L.DeleteHorizonMask) != 0;
        set => SetBit(L.DeleteHorizonMask, value);
    }

    private void SetBit(int mask, bool on)
    {
        var bits = (ushort)Attributes;
        Attributes = (short)(on ? bits | mask : bits & ~mask);
    }

    /// <summary>The absolute offset of one of this batch's records.</summary>
    public long OffsetOf(Record record) => BaseOffset + record.OffsetDelta;

    /// <summary>The timestamp of one of this batch's records: the broker's append time for
    /// LogAppendTime batches, the producer's otherwise.</summary>
    public long TimestampOf(Record record) =>
        TimestampType == TimestampType.LogAppendTime ? MaxTimestamp : BaseTimestamp + record.TimestampDelta;

    /// <summary>Sets lastOffsetDelta and (for CreateTime) maxTimestamp from the records, as a
    /// producer does when it closes a batch. An empty batch keeps its values: after compaction
    /// they describe records that are gone.</summary>
    public void UpdateSummaryFields()
    {
        if (Records.Count == 0)
        {
            return;
        }

        var lastOffsetDelta = int.MinValue;
        var maxTimestampDelta = long.MinValue;
        foreach (var record in Records)
        {
            lastOffsetDelta = Math.Max(lastOffsetDelta, record.OffsetDelta);
            maxTimestampDelta = Math.Max(maxTimestampDelta, record.TimestampDelta);
        }

        LastOffsetDelta = lastOffsetDelta;
        if (TimestampType == TimestampType.CreateTime)
        {
            MaxTimestamp = BaseTimestamp + maxTimestampDelta;
        }
    }

    /// <summary>Decodes the batch at the start of <paramref name="batch"/> (bytes after it are ignored).
    /// Throws <see cref="KafkaDecodeException"/> for any malformed input, a CRC mismatch (unless
    /// <paramref name="verifyCrc"/> is false) or records that decompress past <paramref name="maxDecompressedBytes"/>.
    /// Keys, values and header values are slices of <paramref name="batch"/> when it is uncompressed.</summary>
    public static RecordBatch Decode(ReadOnlyMemory<byte> batch, int maxDecompressedBytes = DefaultMaxDecompressedBytes, bool verifyCrc = true) =>
        RecordBatchDecoder.Decode(batch, maxDecompressedBytes, verifyCrc);

    /// <summary>Appends the encoded batch to <paramref name="writer"/>.</summary>
    public void Encode(KafkaWriter writer) => RecordBatchEncoder.Encode(this, writer);

    /// <summary>The encoded batch as a new array.</summary>
    public byte[] ToArray()
    {
        using var writer = new KafkaWriter(1024);
        Encode(writer);
        return writer.ToArray();
    }
}
