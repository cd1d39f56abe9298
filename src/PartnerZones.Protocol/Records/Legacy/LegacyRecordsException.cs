namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// A magic 0/1 message set, or a record set being converted to one, that Kafka would refuse. The
/// error code is the one Kafka puts in the partition's response (CORRUPT_MESSAGE, INVALID_RECORD or
/// UNSUPPORTED_COMPRESSION_TYPE), so a broker or gateway can answer with it as it is.
/// </summary>
public sealed class LegacyRecordsException(short errorCode, string message) : Exception(message)
{
    public short ErrorCode { get; } = errorCode;
}
