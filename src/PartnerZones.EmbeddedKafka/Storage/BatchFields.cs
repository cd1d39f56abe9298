using System.Buffers.Binary;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// Reads header fields of a stored magic-2 batch from its first <see cref="HeaderSize"/> bytes (byte
/// positions from the Kafka message format v2). Unlike RecordBatchHeader these work on a header alone,
/// which is all a file walk reads for most batches.
/// </summary>
internal static class BatchFields
{
    public const int LogOverhead = 12;
    public const int HeaderSize = 61;
    public const int MinBatchLength = HeaderSize - LogOverhead;
    public const int MagicAt = 16;
    public const int CrcAt = 17;
    public const int CrcStart = 21;
    public const byte Magic = 2;

    public static long BaseOffset(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt64BigEndian(header);

    public static int BatchLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32BigEndian(header[8..]);

    public static int TotalSize(ReadOnlySpan<byte> header) => LogOverhead + BatchLength(header);

    public static uint Crc(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt32BigEndian(header[CrcAt..]);

    public static int LastOffsetDelta(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32BigEndian(header[23..]);

    public static long LastOffset(ReadOnlySpan<byte> header) => BaseOffset(header) + LastOffsetDelta(header);

    public static long MaxTimestamp(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt64BigEndian(header[35..]);

    public static long ProducerId(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt64BigEndian(header[43..]);

    public static short ProducerEpoch(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt16BigEndian(header[51..]);

    public static int BaseSequence(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32BigEndian(header[53..]);
}
