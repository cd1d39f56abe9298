using System.Buffers.Binary;
using L = PartnerZones.Protocol.Records.RecordBatchLayout;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// Reads header fields of a stored magic-2 batch from its first <see cref="HeaderSize"/> bytes, at the byte
/// positions the protocol library's <see cref="L"/> defines. Unlike RecordBatchHeader these work on a
/// header alone, which is all a file walk reads for most batches.
/// </summary>
internal static class BatchFields
{
    public const int LogOverhead = L.LogOverhead;
    public const int HeaderSize = L.HeaderSize;
    public const int MinBatchLength = L.MinBatchLength;
    public const int MagicAt = L.Magic;
    public const int CrcAt = L.Crc;
    public const int CrcStart = L.CrcStart;
    public const byte Magic = L.CurrentMagic;

    public static long BaseOffset(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt64BigEndian(header);

    public static int BatchLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32BigEndian(header[L.BatchLength..]);

    public static int TotalSize(ReadOnlySpan<byte> header) => LogOverhead + BatchLength(header);

    public static uint Crc(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt32BigEndian(header[CrcAt..]);

    public static int LastOffsetDelta(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32BigEndian(header[L.LastOffsetDelta..]);

    public static long LastOffset(ReadOnlySpan<byte> header) => BaseOffset(header) + LastOffsetDelta(header);

    public static long MaxTimestamp(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt64BigEndian(header[L.MaxTimestamp..]);

    public static long ProducerId(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt64BigEndian(header[L.ProducerId..]);

    public static short ProducerEpoch(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt16BigEndian(header[L.ProducerEpoch..]);

    public static int BaseSequence(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadInt32BigEndian(header[L.BaseSequence..]);
}
