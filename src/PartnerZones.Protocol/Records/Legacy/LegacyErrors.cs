namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>Builds <see cref="LegacyRecordsException"/> with the Kafka error code for each kind of
/// fault, so every converter refuses the same fault with the same code.</summary>
internal static class LegacyErrors
{
    public const short CorruptMessage = 2;
    public const short UnsupportedCompressionType = 76;
    public const short InvalidRecord = 87;

    /// <summary>Bytes that cannot be a message: a CRC mismatch, a cut-off entry, lengths that do not
    /// fit, compressed data that does not decompress.</summary>
    public static LegacyRecordsException Corrupt(string problem) => new(CorruptMessage, problem);

    /// <summary>Well-formed bytes whose content Kafka refuses (nested compression, a magic mismatch, ...).</summary>
    public static LegacyRecordsException Invalid(string problem) => new(InvalidRecord, problem);

    public static LegacyRecordsException UnsupportedCompression(string problem) => new(UnsupportedCompressionType, problem);
}
