using System.Buffers;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Gateway.Headers;

/// <summary>
/// Removes a zone's <c>removeOnConsume</c> headers from every record a partner fetches. A batch with a
/// matching header is re-encoded with its own codec and every header field kept (offsets, last offset
/// delta, timestamps, producer fields), so consumer positions, aborted-transaction ranges and control
/// batches stay right; batches without one go out as the upstream sent them.
/// </summary>
internal static class FetchHeaders
{
    /// <summary>Kafka's CORRUPT_MESSAGE: what a consumer gets for a batch the gateway cannot read, rather
    /// than the batch with headers it was meant not to see.</summary>
    private const short CorruptMessage = 2;

    public static void Apply(ZonePolicy zone, FetchResponse response)
    {
        if (zone.Headers is not { RemovesOnConsume: true } policy)
        {
            return;
        }

        foreach (var topic in response.Responses)
        {
            foreach (var partition in topic.Partitions)
            {
                if (partition.Records is not { IsEmpty: false } records)
                {
                    continue;
                }

                try
                {
                    partition.Records = Strip(records, policy);
                }
                catch (KafkaDecodeException)
                {
                    partition.ErrorCode = CorruptMessage;
                    partition.Records = ReadOnlyMemory<byte>.Empty;
                }
            }
        }
    }

    /// <summary>The records without matching headers. A cut-off last batch (the upstream stops at the
    /// byte limit) is dropped rather than passed on: it could not be cleaned, and the consumer fetches
    /// again from its offset. Returns the input itself, uncopied, when nothing needed removing.</summary>
    internal static ReadOnlyMemory<byte> Strip(ReadOnlyMemory<byte> records, HeaderPolicy policy)
    {
        KafkaWriter? writer = null;
        var copied = 0;
        var entries = new RecordEntries(records.Span);
        try
        {
            while (entries.MoveNext())
            {
                var entry = records.Slice(entries.Start, entries.Size);
                if (entries.Magic < 2 || RecordBatchHeader.Read(entry.Span).IsControl)
                {
                    continue;
                }

                var batch = RecordBatch.Decode(entry);
                if (!RemoveFrom(batch, policy))
                {
                    continue;
                }

                // Built lazily: the bytes before the first edited batch are copied once, untouched.
                writer ??= new KafkaWriter(records.Length);
                writer.Write(records.Span[copied..entries.Start]);
                batch.Encode(writer);
                copied = entries.Consumed;
            }

            if (writer is null)
            {
                return records[..entries.Consumed];
            }

            writer.Write(records.Span[copied..entries.Consumed]);
            return writer.ToArray();
        }
        finally
        {
            writer?.Dispose();
        }
    }

    private static bool RemoveFrom(RecordBatch batch, HeaderPolicy policy)
    {
        var changed = false;
        foreach (var record in batch.Records)
        {
            List<RecordHeader>? kept = null;
            for (var i = 0; i < record.Headers.Count; i++)
            {
                var header = record.Headers[i];
                if (policy.Removes(header.Key))
                {
                    kept ??= [.. record.Headers.Take(i)];
                }
                else
                {
                    kept?.Add(header);
                }
            }

            if (kept is not null)
            {
                record.Headers = kept;
                changed = true;
            }
        }

        return changed;
    }
}
