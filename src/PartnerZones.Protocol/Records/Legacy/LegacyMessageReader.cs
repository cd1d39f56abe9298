using System.Buffers.Binary;
using L = PartnerZones.Protocol.Records.Legacy.LegacyMessageLayout;

namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// Reads one magic 0/1 message-set entry. Every length is checked against the bytes present and the
/// CRC is checked before a field is trusted, so a corrupt entry is refused, never half-read.
/// </summary>
internal static class LegacyMessageReader
{
    /// <summary>Reads the entry at the start of <paramref name="data"/>. False when the bytes end
    /// before the entry does (a cut-off entry): whether that is an error is the caller's call.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> data, out LegacyMessage message, out int size)
    {
        message = default;
        size = 0;
        var span = data.Span;
        if (span.Length < L.LogOverhead)
        {
            return false;
        }

        var messageSize = BinaryPrimitives.ReadInt32BigEndian(span[L.MessageSize..]);
        if (messageSize < L.MinSizeV0)
        {
            throw LegacyErrors.Corrupt($"message size {messageSize} is smaller than the {L.MinSizeV0} bytes of the smallest message");
        }

        if (messageSize > span.Length - L.LogOverhead)
        {
            return false;
        }

        var total = L.LogOverhead + messageSize;
        var entry = span[..total];
        var magic = entry[L.Magic];
        if (magic > 1)
        {
            throw LegacyErrors.Invalid($"message magic {magic} where a message set of magic 0 or 1 was expected");
        }

        if (messageSize < L.MinSize(magic))
        {
            throw LegacyErrors.Corrupt($"message size {messageSize} is smaller than the {L.MinSize(magic)} bytes of the smallest magic-{magic} message");
        }

        var stored = BinaryPrimitives.ReadUInt32BigEndian(entry[L.Crc..]);
        var computed = LegacyCrc32.Compute(entry[L.CrcStart..]);
        if (stored != computed)
        {
            throw LegacyErrors.Corrupt($"message CRC 0x{stored:X8} does not match the computed 0x{computed:X8}; the message is corrupt");
        }

        var at = L.KeyLength(magic);
        var key = ReadBytes(data, entry, ref at, "key");
        var value = ReadBytes(data, entry, ref at, "value");
        if (at != total)
        {
            throw LegacyErrors.Corrupt($"message size {messageSize} leaves {total - at} bytes after the value");
        }

        var timestamp = magic == 0 ? RecordBatch.None : BinaryPrimitives.ReadInt64BigEndian(entry[L.Timestamp..]);
        message = new LegacyMessage(BinaryPrimitives.ReadInt64BigEndian(entry), magic, entry[L.Attributes], timestamp, key, value);
        size = total;
        return true;
    }

    private static ReadOnlyMemory<byte>? ReadBytes(ReadOnlyMemory<byte> data, ReadOnlySpan<byte> entry, ref int at, string field)
    {
        if (entry.Length - at < 4)
        {
            throw LegacyErrors.Corrupt($"message {field} length is cut off by the message size");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(entry[at..]);
        at += 4;

        // Not a conditional expression: null would become empty memory through the byte[] conversion.
        if (length == -1)
        {
            return null;
        }

        if (length < -1 || length > entry.Length - at)
        {
            throw LegacyErrors.Corrupt($"message {field} length {length} does not fit the {entry.Length - at} bytes left in the message");
        }

        var bytes = data.Slice(at, length);
        at += length;
        return bytes;
    }
}
