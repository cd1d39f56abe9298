using System.Text;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Records;

namespace PartnerZones.EmbeddedKafka.Tests.Storage;

/// <summary>Builds magic-2 batches for direct log tests and reads logs back record by record.</summary>
internal static class TestBatches
{
    public sealed record Stored(long Offset, string? Key, string? Value, long Timestamp);

    /// <summary>A batch of <paramref name="values"/> (null = tombstone) with the given keys (null = no key).</summary>
    public static byte[] Make(
        IReadOnlyList<(string? Key, string? Value)> records,
        long timestamp,
        long producerId = -1,
        short producerEpoch = -1,
        int baseSequence = -1,
        RecordCompression compression = RecordCompression.None)
    {
        var batch = new RecordBatch
        {
            BaseTimestamp = timestamp,
            MaxTimestamp = timestamp,
            ProducerId = producerId,
            ProducerEpoch = producerEpoch,
            BaseSequence = baseSequence,
            Compression = compression,
        };
        for (var i = 0; i < records.Count; i++)
        {
            batch.Records.Add(new Protocol.Records.Record
            {
                OffsetDelta = i,
                TimestampDelta = 0,
                // Typed nulls: an untyped null here converts through byte[] to an empty, not a null, ReadOnlyMemory.
                Key = records[i].Key is { } k ? Encoding.UTF8.GetBytes(k) : (ReadOnlyMemory<byte>?)null,
                Value = records[i].Value is { } v ? Encoding.UTF8.GetBytes(v) : (ReadOnlyMemory<byte>?)null,
            });
        }

        batch.UpdateSummaryFields();
        return batch.ToArray();
    }

    /// <summary>A batch of <paramref name="count"/> unkeyed records "prefix-0".. with one timestamp.</summary>
    public static byte[] Values(string prefix, int count, long timestamp) =>
        Make([.. Enumerable.Range(0, count).Select(i => ((string?)null, (string?)$"{prefix}-{i}"))], timestamp);

    /// <summary>Every record from the log start to the end, checking each batch's CRC and that batches
    /// follow each other without overlap.</summary>
    public static List<Stored> ReadAll(PartitionLog log, int maxBytes = 64 * 1024)
    {
        var result = new List<Stored>();
        var offset = log.LogStartOffset;
        var end = log.LogEndOffset;
        var lastSeen = -1L;
        while (offset < end)
        {
            var bytes = log.Read(offset, maxBytes);
            Assert.NotEmpty(bytes);
            foreach (var batch in RecordSet.DecodeAll(bytes, verifyCrc: true))
            {
                Assert.True(batch.BaseOffset > lastSeen, $"batch at {batch.BaseOffset} overlaps the previous one ending at {lastSeen}");
                foreach (var record in batch.Records)
                {
                    var at = batch.OffsetOf(record);
                    if (at >= log.LogStartOffset)
                    {
                        result.Add(new Stored(at, Text(record.Key), Text(record.Value), batch.TimestampOf(record)));
                    }
                }

                lastSeen = batch.BaseOffset + batch.LastOffsetDelta;
                offset = lastSeen + 1;
            }
        }

        return result;
    }

    private static string? Text(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Encoding.UTF8.GetString(b.Span) : null;
}
