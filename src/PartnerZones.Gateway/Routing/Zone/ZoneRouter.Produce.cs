using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    private const short InvalidRecord = 87;

    private const string TwoWriteAliasesMessage =
        "Idempotent and transactional producers cannot write to a topic that has two WRITE aliases in this zone; "
        + "disable idempotence for this producer, or ask the platform team for a single WRITE alias.";

    /// <summary>True when any batch of the topic's partitions carries a producer id (idempotent or
    /// transactional). Only the fixed batch header is read; records stay undecoded.</summary>
    private static bool HasProducerId(ProduceRequest.TopicProduceData data)
    {
        foreach (var partition in data.PartitionData)
        {
            if (partition.Records is not { } records)
            {
                continue;
            }

            var batches = Protocol.Records.RecordSet.Batches(records);
            while (batches.MoveNext())
            {
                if (batches.Current.ProducerId >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>WRITE aliases go upstream under their backing names; READ aliases get
    /// TOPIC_AUTHORIZATION_FAILED and unknown names UNKNOWN_TOPIC_OR_PARTITION, answered here. Record
    /// batches are forwarded as bytes, never decoded. acks=0 gets no response, as from Kafka.</summary>
    private async Task<OutgoingFrame?> ProduceAsync(RequestHeader header, ProduceRequest request, CancellationToken cancellationToken)
    {
        var byId = header.ApiVersion >= 13;
        var local = new Dictionary<ProduceRequest.TopicProduceData, short>();
        var forward = new List<(ProduceRequest.TopicProduceData Data, ZoneTopic Topic)>();
        foreach (var data in request.TopicData)
        {
            var topic = byId ? Zone.ByVirtualId.GetValueOrDefault(data.TopicId) : Alias(data.Name);
            if (topic is null)
            {
                local[data] = byId ? UnknownTopicId : UnknownTopicOrPartition;
            }
            else if (!topic.CanWrite)
            {
                local[data] = TopicAuthorizationFailed;
            }
            else if (byId && runtime.TopicIds.IdOf(topic.Backing) is null)
            {
                local[data] = UnknownTopicId;
            }
            else if (Zone.WriteAliasesOf(topic.Backing) > 1 && HasProducerId(data))
            {
                // Two WRITE aliases of one topic: an idempotent producer keeps one sequence per alias, and
                // both would meet on the same upstream partitions, where the broker would take one alias's
                // batches for the other's duplicates and drop them. Refuse rather than lose data.
                local[data] = InvalidRecord;
            }
            else
            {
                forward.Add((data, topic));
            }
        }

        var transactionalId = request.TransactionalId is null ? null : Zone.Namespaced(request.TransactionalId);
        var responses = new Dictionary<ProduceRequest.TopicProduceData, ProduceResponse.TopicProduceResponse>();
        var merged = new ProduceResponse();
        foreach (var round in Rounds(forward, f => f.Topic.Backing))
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
                var connection = await upstream.GetAsync(cancellationToken).ConfigureAwait(false);
                await connection.SendAsync(ProduceRequest.Key, header.ApiVersion, header.ClientId, w => upstreamRequest.Write(w, header.ApiVersion), false, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var (response, frame) = await SendAsync<ProduceResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
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
                        partition.ErrorMessage = InZoneTerms(partition.ErrorMessage, round[i].Topic);
                        foreach (var recordError in partition.RecordErrors)
                        {
                            recordError.BatchIndexErrorMessage = InZoneTerms(recordError.BatchIndexErrorMessage, round[i].Topic);
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
                        ErrorCode = local.GetValueOrDefault(data, UnknownTopicOrPartition),
                        ErrorMessage = local.GetValueOrDefault(data) == InvalidRecord ? TwoWriteAliasesMessage : null,
                        BaseOffset = -1,
                    })],
                });
        }

        AddressRewriter.Rewrite(runtime, merged);
        return Local(header, merged);
    }
}
