using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records.Compression;
using L = PartnerZones.Protocol.Records.RecordBatchLayout;

namespace PartnerZones.Protocol.Records;

/// <summary>Encodes one magic-2 batch: header, records (compressed when asked), then patches in
/// batchLength and the CRC, which depend on everything written after them.</summary>
internal static class RecordBatchEncoder
{
    public static void Encode(RecordBatch batch, KafkaWriter writer)
    {
        var compression = batch.Compression;
        if (compression > RecordCompression.Zstd)
        {
            throw new ArgumentException($"Compression codec {(int)compression} is not one Kafka defines.", nameof(batch));
        }

        var start = writer.Position;
        writer.WriteInt64(batch.BaseOffset);
        var lengthAt = writer.ReserveInt32();
        writer.WriteInt32(batch.PartitionLeaderEpoch);
        writer.WriteByte(L.CurrentMagic);
        var crcAt = writer.ReserveInt32();
        writer.WriteInt16(batch.Attributes);
        writer.WriteInt32(batch.LastOffsetDelta);
        writer.WriteInt64(batch.BaseTimestamp);
        writer.WriteInt64(batch.MaxTimestamp);
        writer.WriteInt64(batch.ProducerId);
        writer.WriteInt16(batch.ProducerEpoch);
        writer.WriteInt32(batch.BaseSequence);
        writer.WriteInt32(batch.Records.Count);

        if (compression == RecordCompression.None)
        {
            WriteRecords(batch.Records, writer);
        }
        else
        {
            // Compressors need the whole input; it is staged in a pooled buffer, not a fresh array.
            using var raw = new KafkaWriter(4096);
            WriteRecords(batch.Records, raw);
            RecordCompressor.Compress(compression, raw.WrittenSpan, writer);
        }

        writer.PatchInt32(lengthAt, writer.Position - start - L.LogOverhead);
        var crc = Crc32C.Compute(writer.WrittenSpan[(start + L.CrcStart)..]);
        writer.PatchInt32(crcAt, unchecked((int)crc));
    }

    private static void WriteRecords(List<Record> records, KafkaWriter writer)
    {
        foreach (var record in records)
        {
            RecordCodec.Write(writer, record);
        }
    }
}
