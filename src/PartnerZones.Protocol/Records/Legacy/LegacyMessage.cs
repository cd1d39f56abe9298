namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>One decoded magic 0/1 message. Key and value are slices of the bytes it was read from.
/// A compressed message (a wrapper) holds the compressed inner message set as its value.</summary>
internal readonly record struct LegacyMessage(
    long Offset,
    byte Magic,
    byte Attributes,
    long Timestamp,
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte>? Value)
{
    public RecordCompression Codec => (RecordCompression)(Attributes & LegacyMessageLayout.CodecMask);

    /// <summary>Magic 0 has no timestamp type: its attribute bit 3 means nothing and is ignored, as Kafka ignores it.</summary>
    public TimestampType TimestampType =>
        Magic > 0 && (Attributes & LegacyMessageLayout.TimestampTypeMask) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;
}
