namespace PartnerZones.Protocol.Records;

/// <summary>
/// Byte offsets of the magic-2 batch header fields. The header is fixed-size, so every field is a
/// read at a constant offset; no parsing is needed to look at one batch.
/// </summary>
public static class RecordBatchLayout
{
    public const int BaseOffset = 0;
    public const int BatchLength = 8;
    public const int PartitionLeaderEpoch = 12;
    public const int Magic = 16;
    public const int Crc = 17;
    public const int Attributes = 21;
    public const int LastOffsetDelta = 23;
    public const int BaseTimestamp = 27;
    public const int MaxTimestamp = 35;
    public const int ProducerId = 43;
    public const int ProducerEpoch = 51;
    public const int BaseSequence = 53;
    public const int RecordCount = 57;

    /// <summary>Size of the header; the records (possibly compressed) start here.</summary>
    public const int HeaderSize = 61;

    /// <summary>baseOffset and batchLength are not counted in batchLength.</summary>
    public const int LogOverhead = 12;

    /// <summary>The smallest valid batchLength: a header with no record bytes.</summary>
    public const int MinBatchLength = HeaderSize - LogOverhead;

    /// <summary>The CRC covers attributes through the end of the batch.</summary>
    public const int CrcStart = Attributes;

    public const byte CurrentMagic = 2;

    public const int CompressionMask = 0x07;
    public const int TimestampTypeMask = 0x08;
    public const int TransactionalMask = 0x10;
    public const int ControlMask = 0x20;
    public const int DeleteHorizonMask = 0x40;
}
