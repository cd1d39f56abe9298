namespace PartnerZones.Protocol.Records;

/// <summary>Bit 3 of a batch's attributes: who set the record timestamps.</summary>
public enum TimestampType : byte
{
    /// <summary>The producer's clock; each record's timestamp is baseTimestamp + timestampDelta.</summary>
    CreateTime = 0,

    /// <summary>The broker's append time; every record's timestamp is the batch's maxTimestamp.</summary>
    LogAppendTime = 1,
}
