using PartnerZones.Protocol.Primitives;
using L = PartnerZones.Protocol.Records.Legacy.LegacyMessageLayout;

namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>Writes magic 0/1 message-set entries. The message size and CRC are patched in once the
/// bytes they cover are written, so a wrapper's value can be compressed straight into the output.</summary>
internal static class LegacyMessageWriter
{
    /// <summary>Appends one entry. <paramref name="timestamp"/> is written for magic 1 only.</summary>
    public static void Write(KafkaWriter writer, long offset, byte magic, byte attributes, long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value)
    {
        var start = Begin(writer, offset, magic, attributes, timestamp);
        WriteBytes(writer, key);
        WriteBytes(writer, value);
        End(writer, start);
    }

    /// <summary>Writes everything up to the key: offset, space for the size and CRC, magic, attributes,
    /// and for magic 1 the timestamp. Returns where the entry starts, for <see cref="End"/>.</summary>
    public static int Begin(KafkaWriter writer, long offset, byte magic, byte attributes, long timestamp)
    {
        var start = writer.Position;
        writer.WriteInt64(offset);
        writer.ReserveInt32();
        writer.ReserveInt32();
        writer.WriteByte(magic);
        writer.WriteByte(attributes);
        if (magic > 0)
        {
            writer.WriteInt64(timestamp);
        }

        return start;
    }

    /// <summary>Patches the message size and the CRC of the entry begun at <paramref name="start"/>.</summary>
    public static void End(KafkaWriter writer, int start)
    {
        writer.PatchInt32(start + L.MessageSize, writer.Position - start - L.LogOverhead);
        var crc = LegacyCrc32.Compute(writer.WrittenSpan[(start + L.CrcStart)..]);
        writer.PatchInt32(start + L.Crc, unchecked((int)crc));
    }

    /// <summary>The attributes byte: the codec, and for magic 1 the timestamp type (magic 0 has none).</summary>
    public static byte Attributes(RecordCompression codec, byte magic, TimestampType timestampType) =>
        (byte)((int)codec | (magic > 0 && timestampType == TimestampType.LogAppendTime ? L.TimestampTypeMask : 0));

    private static void WriteBytes(KafkaWriter writer, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { } present)
        {
            writer.WriteInt32(-1);
            return;
        }

        writer.WriteInt32(present.Length);
        writer.WriteRaw(present.Span);
    }
}
