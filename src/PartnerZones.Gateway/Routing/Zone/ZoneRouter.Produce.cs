using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    /// <summary>WRITE aliases go upstream under their backing names; READ aliases get
    /// TOPIC_AUTHORIZATION_FAILED and unknown names UNKNOWN_TOPIC_OR_PARTITION, answered here. Record
    /// batches are forwarded as bytes, never decoded. acks=0 gets no response, as from Kafka.</summary>
    private async Task<byte[]?> ProduceAsync(RequestHeader header, ProduceRequest request, CancellationToken cancellationToken)
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
                        BaseOffset = -1,
                    })],
                });
        }

        AddressRewriter.Rewrite(runtime, merged);
        return ResponseFrames.Encode(header.CorrelationId, header.ApiVersion, merged);
    }
}
