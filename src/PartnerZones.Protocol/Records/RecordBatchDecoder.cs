using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records.Compression;
using L = PartnerZones.Protocol.Records.RecordBatchLayout;

namespace PartnerZones.Protocol.Records;

/// <summary>Decodes one magic-2 batch. Every claim on the wire (lengths, counts, sizes after
/// decompression) is checked against bytes actually present before anything is allocated for it.</summary>
internal static class RecordBatchDecoder
{
    public static RecordBatch Decode(ReadOnlyMemory<byte> data, int maxDecompressedBytes, bool verifyCrc)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDecompressedBytes);
        var header = RecordBatchHeader.Read(data.Span);
        if (verifyCrc)
        {
            var computed = header.ComputeCrc();
            if (computed != header.Crc)
            {
                throw RecordErrors.Malformed("crc", $"stored CRC 0x{header.Crc:X8} does not match the computed 0x{computed:X8}; the batch is corrupt");
            }
        }

        var count = header.RecordCount;
        if (count < 0)
        {
            throw RecordErrors.Malformed("recordCount", $"record count {count} is negative");
        }

        var compression = header.Compression;
        if (compression > RecordCompression.Zstd)
        {
            throw RecordErrors.Malformed("attributes", $"compression codec {(int)compression} is not one Kafka defines");
        }

        var batch = new RecordBatch
        {
            BaseOffset = header.BaseOffset,
            PartitionLeaderEpoch = header.PartitionLeaderEpoch,
            Attributes = header.Attributes,
            LastOffsetDelta = header.LastOffsetDelta,
            BaseTimestamp = header.BaseTimestamp,
            MaxTimestamp = header.MaxTimestamp,
            ProducerId = header.ProducerId,
            ProducerEpoch = header.ProducerEpoch,
            BaseSequence = header.BaseSequence,
        };

        var records = data.Slice(L.HeaderSize, header.TotalSize - L.HeaderSize);
        if (compression != RecordCompression.None)
        {
            records = RecordCompressor.Decompress(compression, records, maxDecompressedBytes);
        }

        batch.Records = ReadRecords(records, count);
        return batch;
    }

    private static List<Record> ReadRecords(ReadOnlyMemory<byte> data, int count)
    {
        // The smallest record takes 7 bytes, so the bytes present bound how many records there can
        // be; a larger claim is refused before the list is sized by it.
        if ((long)count * RecordCodec.MinRecordSize > data.Length)
        {
            throw RecordErrors.Malformed("recordCount", $"record count {count} is larger than the {data.Length} record bytes could hold");
        }

        var reader = RecordErrors.Reader(data, "records");
        var records = new List<Record>(count);
        for (var i = 0; i < count; i++)
        {
            try
            {
                records.Add(RecordCodec.Read(ref reader));
            }
            catch (KafkaDecodeException e)
            {
                // The codec names the field; the index is only worth building a string for on failure.
                throw RecordErrors.Malformed($"records[{i}].{e.Field}", e.Problem);
            }
        }

        if (!reader.End)
        {
            throw RecordErrors.Malformed("records", $"{reader.Remaining} bytes remain after the {count} records the batch declares");
        }

        return records;
    }
}
