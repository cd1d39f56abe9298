using L = PartnerZones.Protocol.Records.Legacy.LegacyMessageLayout;

namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// The message formats before record batches: magic 0 (Kafka 0.8-0.9) and magic 1 (0.10, adds a
/// timestamp). Produce v0-2 carry them and Fetch v0-3 expect them; Kafka 3.x converts at the broker
/// and Kafka 4.0 no longer serves those versions. These conversions let the embedded cluster serve
/// them and let the gateway translate them for brokers that do not.
/// </summary>
public static class LegacyMessageSets
{
    /// <summary>The magic byte of the first entry of a records field: 0, 1 or 2 (it sits at byte 16 in
    /// all three formats); -1 when the field is too short to have one.</summary>
    public static int MagicOf(ReadOnlySpan<byte> records) => records.Length > L.Magic ? (sbyte)records[L.Magic] : -1;

    /// <summary>
    /// A message set of magic 0/1 messages, as a Produce v0-2 client sends it (wrapper messages
    /// compressed with gzip, snappy or lz4 included), up-converted to magic-2 record batches as a Kafka
    /// 3.x broker does on append: one batch per wrapper or per run of uncompressed messages, the codec
    /// kept, producer id, epoch and base sequence -1, offsets counted from 0, timestamps kept (-1 for
    /// magic 0), the magic-1 timestamp type kept. Throws <see cref="LegacyRecordsException"/> with
    /// CORRUPT_MESSAGE (2) for a bad CRC or a cut-off entry and INVALID_RECORD (87) for other faults
    /// (UNSUPPORTED_COMPRESSION_TYPE, 76, for a zstd wrapper, which magic 0/1 cannot have).
    /// </summary>
    public static byte[] ToRecordBatches(ReadOnlySpan<byte> messageSet) =>
        messageSet.IsEmpty ? [] : LegacyUpConverter.Convert(messageSet.ToArray());

    /// <summary>
    /// Magic-2 record batches (as stored or fetched; possibly ending in a cut-off batch, which is
    /// dropped as Kafka drops it) down-converted to a message set of magic <paramref name="magic"/>
    /// (0 or 1), as Kafka 3.x does for Fetch v0-3: absolute offsets kept; a compressed batch becomes a
    /// wrapper message with the batch's codec whose offset is its last record's, inner offsets
    /// relative for magic 1 and absolute for magic 0; control batches and record headers dropped;
    /// timestamps kept for magic 1. A zstd batch cannot be represented: <see cref="LegacyRecordsException"/>
    /// with UNSUPPORTED_COMPRESSION_TYPE (76), which Kafka returns for that partition. A corrupt batch
    /// throws it with CORRUPT_MESSAGE (2).
    /// </summary>
    public static byte[] ToMessageSet(ReadOnlySpan<byte> recordBatches, byte magic)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(magic, (byte)1);

        // The decoded records are slices of their input: the conversion works on its own copy.
        return recordBatches.IsEmpty ? [] : LegacyDownConverter.Convert(recordBatches.ToArray(), magic);
    }
}
