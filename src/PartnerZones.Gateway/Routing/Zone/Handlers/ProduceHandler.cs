using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>WRITE aliases go upstream under their backing names (or real ids, v13+); READ aliases get
/// TOPIC_AUTHORIZATION_FAILED and unknown names UNKNOWN_TOPIC_OR_PARTITION, answered here. Record
/// batches are forwarded as bytes, never decoded, unless the zone adds headers (Headers/ProduceHeaders). acks=0 gets no response, as from Kafka.</summary>
internal sealed class ProduceHandler : ZoneHandler<ProduceRequest>
{
    private const string TwoWriteAliasesMessage =
        "Idempotent and transactional producers cannot write to a topic that has two WRITE aliases in this zone; "
        + "disable idempotence for this producer, or ask the platform team for a single WRITE alias.";

    public override string Served => "forwarded to WRITE aliases' backing topics (or real ids), record batches untouched unless the zone adds headers; transactional id namespaced";

    public override string Refusal => "READ aliases: TOPIC_AUTHORIZATION_FAILED; names outside the zone: UNKNOWN_TOPIC_OR_PARTITION; ids outside the zone: UNKNOWN_TOPIC_ID";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, ProduceRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var runtime = context.Runtime;
        var byId = header.ApiVersion >= 13;
        var local = new Dictionary<ProduceRequest.TopicProduceData, short>();
        var forward = new List<(ProduceRequest.TopicProduceData Data, ZoneTopic Topic)>();
        foreach (var data in request.TopicData)
        {
            var topic = byId ? zone.ByVirtualId.GetValueOrDefault(data.TopicId) : context.Alias(data.Name);
            if (topic is null)
            {
                local[data] = byId ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition;
            }
            else if (!topic.CanWrite)
            {
                local[data] = ErrorCodes.TopicAuthorizationFailed;
            }
            else if (byId && runtime.TopicIds.IdOf(topic.Backing) is null)
            {
                local[data] = ErrorCodes.UnknownTopicId;
            }
            else if (zone.WriteAliasesOf(topic.Backing) > 1 && HasProducerId(data))
            {
                // Two WRITE aliases of one topic: an idempotent producer keeps one sequence per alias, and
                // both would meet on the same upstream partitions, where the broker would take one alias's
                // batches for the other's duplicates and drop them. Refuse rather than lose data.
                local[data] = ErrorCodes.InvalidRecord;
            }
            else
            {
                forward.Add((data, topic));
            }
        }

        // The zone's produce rate counts the record bytes the partner sent (before header rules add any), as
        // the partner controls them; an answer over the rate carries the throttle time.
        var throttleMs = runtime.Traffic.Produced(zone.Zone, Traffic.RecordBytes.Of(forward.Select(f => f.Data)), context.Mute);
        Headers.ProduceHeaders.Apply(context, header, forward);
        var transactionalId = request.TransactionalId is null ? null : zone.Namespaced(request.TransactionalId);
        var responses = new Dictionary<ProduceRequest.TopicProduceData, ProduceResponse.TopicProduceResponse>();
        var merged = new ProduceResponse();
        foreach (var round in Rounds.ByBacking(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new ProduceRequest
            {
                TransactionalId = transactionalId,
                Acks = request.Acks,
                TimeoutMs = request.TimeoutMs,
                TopicData = [.. round.Select(f => new ProduceRequest.TopicProduceData
                {
                    Name = f.Topic.Backing,
                    TopicId = byId ? runtime.TopicIds.IdOf(f.Topic.Backing)!.Value : Guid.Empty,
                    PartitionData = f.Data.PartitionData,
                })],
            };
            if (request.Acks == 0)
            {
                var connection = await context.Upstream.GetAsync(cancellationToken).ConfigureAwait(false);
                await connection.SendAsync(ProduceRequest.Key, header.ApiVersion, header.ClientId, w => upstreamRequest.Write(w, header.ApiVersion), false, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var (response, frame) = await context.SendAsync<ProduceResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                for (var i = 0; i < round.Count && i < response.Responses.Count; i++)
                {
                    var topicResponse = response.Responses[i];
                    topicResponse.Name = round[i].Data.Name;
                    topicResponse.TopicId = round[i].Data.TopicId;
                    foreach (var partition in topicResponse.PartitionResponses)
                    {
                        // Kafka quotes the topic-partition in record validation errors.
                        partition.ErrorMessage = ZoneText.InZoneTerms(partition.ErrorMessage, round[i].Topic);
                        foreach (var recordError in partition.RecordErrors)
                        {
                            recordError.BatchIndexErrorMessage = ZoneText.InZoneTerms(recordError.BatchIndexErrorMessage, round[i].Topic);
                        }
                    }

                    responses[round[i].Data] = topicResponse;
                }

                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
                foreach (var endpoint in response.NodeEndpoints.Where(e => merged.NodeEndpoints.All(m => m.NodeId != e.NodeId)))
                {
                    merged.NodeEndpoints.Add(endpoint);
                }
            }
        }

        if (request.Acks == 0)
        {
            return null;
        }

        foreach (var data in request.TopicData)
        {
            merged.Responses.Add(responses.TryGetValue(data, out var forwarded)
                ? forwarded
                : new ProduceResponse.TopicProduceResponse
                {
                    Name = data.Name,
                    TopicId = data.TopicId,
                    PartitionResponses = [.. data.PartitionData.Select(p => new ProduceResponse.PartitionProduceResponse
                    {
                        Index = p.Index,
                        ErrorCode = local.GetValueOrDefault(data, ErrorCodes.UnknownTopicOrPartition),
                        ErrorMessage = local.GetValueOrDefault(data) == ErrorCodes.InvalidRecord ? TwoWriteAliasesMessage : null,
                        BaseOffset = -1,
                    })],
                });
        }

        merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, throttleMs);
        AddressRewriter.Rewrite(runtime, merged);
        return ZoneContext.Local(header, merged);
    }

    /// <summary>True when any magic-2 batch of the topic's partitions carries a producer id (idempotent
    /// or transactional). Only the fixed batch header is read; records stay undecoded. Message sets of
    /// magic 0 and 1 (Produce v0-2) have no producer id: their entries are stepped over.</summary>
    private static bool HasProducerId(ProduceRequest.TopicProduceData data)
    {
        foreach (var partition in data.PartitionData)
        {
            if (partition.Records is { } records && AnyProducerId(records.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a records field holds a magic-2 batch with a producer id; entries of other magics
    /// are stepped over by their length.</summary>
    internal static bool AnyProducerId(ReadOnlySpan<byte> records)
    {
        // A cut-off or nonsensical entry ends the walk: not ours to judge; the upstream refuses it.
        var entries = new RecordEntries(records);
        while (entries.MoveNext())
        {
            if (entries.Magic >= 2 && RecordBatchHeader.Read(records.Slice(entries.Start, entries.Size)).ProducerId >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
