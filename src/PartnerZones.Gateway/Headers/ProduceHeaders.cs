using System.Buffers;
using System.Net;
using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Routing.Zone;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Gateway.Headers;

/// <summary>
/// Adds a zone's <c>addOnProduce</c> headers to every record a partner produces. Each magic-2 batch is
/// decoded, edited and re-encoded with its own codec; every batch header field (base offset, producer
/// id, epoch, base sequence, attributes, timestamps, last offset delta) is written back as it came, so
/// idempotent and transactional producers see the broker they expect. Control batches are left alone.
/// </summary>
internal static class ProduceHeaders
{
    /// <summary>Edits the records of the topics about to be forwarded. Takes the handler's own list, so a
    /// zone without rules costs one null check and no allocation.</summary>
    public static void Apply(ZoneContext context, RequestHeader header, List<(ProduceRequest.TopicProduceData Data, ZoneTopic Topic)> topics)
    {
        if (context.Zone.Headers is not { AddsOnProduce: true } policy)
        {
            return;
        }

        var values = new TemplateValues(
            header.ClientId,
            AddressText(context.ClientAddress),
            ProduceRequest.Key,
            header.ApiVersion,
            context.Principal.Name,
            context.Runtime.Brokers.AdvertisedHost,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var additions = new RecordHeader[policy.Additions.Count];
        for (var i = 0; i < additions.Length; i++)
        {
            additions[i] = new RecordHeader(policy.Additions[i].Key, policy.Additions[i].Value.Fill(values));
        }

        foreach (var (topic, _) in topics)
        {
            foreach (var partition in topic.PartitionData)
            {
                if (partition.Records is { IsEmpty: false } records)
                {
                    partition.Records = AddTo(records, additions, policy);
                }
            }
        }
    }

    /// <summary>The partner's address as it would write it: an IPv4 client on a dual-stack listener
    /// shows as its IPv4 address, not the mapped IPv6 form.</summary>
    internal static string? AddressText(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    internal static byte[] AddTo(ReadOnlyMemory<byte> records, RecordHeader[] additions, HeaderPolicy policy)
    {
        using var writer = new KafkaWriter(records.Length + 256);
        var entries = new RecordEntries(records.Span);
        while (entries.MoveNext())
        {
            var entry = records.Slice(entries.Start, entries.Size);
            if (entries.Magic < 2 || RecordBatchHeader.Read(entry.Span).IsControl)
            {
                // Magic 0/1 cannot carry headers; Produce v3+ may not carry them either, so the upstream
                // refuses them (old versions were up-converted to batches before reaching the zone).
                writer.Write(entry.Span);
                continue;
            }

            RecordBatch batch;
            try
            {
                batch = RecordBatch.Decode(entry);
            }
            catch (KafkaDecodeException) when (!RecordBatchHeader.Read(entry.Span).Validate())
            {
                // A corrupt batch goes on as it is, so the upstream answers CORRUPT_MESSAGE as it would
                // without header rules; re-encoding would give it a fresh, valid CRC.
                writer.Write(entry.Span);
                continue;
            }

            foreach (var record in batch.Records)
            {
                record.Headers = Added(record.Headers, additions, policy);
            }

            batch.Encode(writer);
        }

        // A cut-off tail is not ours to repair: the upstream refuses it as it would anyway.
        writer.Write(records.Span[entries.Consumed..]);
        return writer.ToArray();
    }

    private static List<RecordHeader> Added(IReadOnlyList<RecordHeader> existing, RecordHeader[] additions, HeaderPolicy policy)
    {
        var headers = new List<RecordHeader>(existing.Count + additions.Length);
        headers.AddRange(existing);
        for (var i = 0; i < additions.Length; i++)
        {
            var addition = additions[i];
            var at = headers.FindIndex(h => h.Key == addition.Key);
            if (at < 0)
            {
                headers.Add(addition);
            }
            else if (policy.Additions[i].OverrideIfExists)
            {
                // Replace in place and drop later duplicates: a consumer reading "the" header (the last
                // or the first one of that key) must see the gateway's value either way.
                headers[at] = addition;
                for (var j = headers.Count - 1; j > at; j--)
                {
                    if (headers[j].Key == addition.Key)
                    {
                        headers.RemoveAt(j);
                    }
                }
            }
        }

        return headers;
    }
}
