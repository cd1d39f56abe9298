namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// Byte offsets of one message-set entry of magic 0 or 1: offset int64, message size int32, then the
/// message: crc int32, magic int8, attributes int8, (magic 1 only) timestamp int64, key and value as
/// int32-length bytes (-1 for null). The magic sits at byte 16 as it does in a magic-2 batch header,
/// which is how a reader tells the formats apart before parsing.
/// </summary>
internal static class LegacyMessageLayout
{
    public const int Offset = 0;
    public const int MessageSize = 8;

    /// <summary>The offset and size fields, which the message size does not count.</summary>
    public const int LogOverhead = 12;

    public const int Crc = 12;
    public const int Magic = 16;
    public const int Attributes = 17;

    /// <summary>Magic 1 only.</summary>
    public const int Timestamp = 18;

    /// <summary>The CRC covers the magic byte through the end of the value.</summary>
    public const int CrcStart = Magic;

    public const int CodecMask = 0x07;

    /// <summary>Magic 1 only: set when the broker's append time replaced the producer's timestamps.</summary>
    public const int TimestampTypeMask = 0x08;

    /// <summary>Message size of a magic-0 message with null key and value: crc, magic, attributes, two lengths.</summary>
    public const int MinSizeV0 = 4 + 1 + 1 + 4 + 4;

    /// <summary>Magic 1 adds the 8-byte timestamp.</summary>
    public const int MinSizeV1 = MinSizeV0 + 8;

    public static int MinSize(byte magic) => magic == 0 ? MinSizeV0 : MinSizeV1;

    /// <summary>Where the key length sits, counted from the start of the entry.</summary>
    public static int KeyLength(byte magic) => magic == 0 ? Attributes + 1 : Timestamp + 8;
}
