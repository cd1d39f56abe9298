namespace PartnerZones.Protocol.Records;

/// <summary>The compression codec in bits 0-2 of a batch's attributes; the values are Kafka's wire ids.</summary>
public enum RecordCompression : byte
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
