namespace PartnerZones.Protocol.Records;

/// <summary>
/// One record of a magic-2 batch. Offsets and timestamps are deltas from the batch's base values,
/// as on the wire; <see cref="RecordBatch.OffsetOf"/> and <see cref="RecordBatch.TimestampOf"/>
/// give absolute ones. Decoded keys and values are slices of the batch (or of its decompressed
/// bytes), not copies.
/// </summary>
public sealed class Record
{
    /// <summary>Unused by Kafka so far; kept so a record re-encodes to the same bytes.</summary>
    public sbyte Attributes { get; set; }

    public long TimestampDelta { get; set; }

    public int OffsetDelta { get; set; }

    /// <summary>Null and empty differ: null is a length of -1 on the wire. Beware that a null
    /// <c>byte[]</c> assigned here converts to empty memory, not null.</summary>
    public ReadOnlyMemory<byte>? Key { get; set; }

    /// <summary>Null is a tombstone on a compacted topic.</summary>
    public ReadOnlyMemory<byte>? Value { get; set; }

    public IReadOnlyList<RecordHeader> Headers { get; set; } = [];
}
