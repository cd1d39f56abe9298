using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    /// <summary>READ (or WRITE) aliases are fetched under their backing names or real ids; everything else is
    /// answered as unknown here. Fetch sessions are declined (session id 0), so every fetch is a full fetch
    /// and no upstream session state can name a topic outside the zone. Record batches pass through as bytes.</summary>
    private async Task<OutgoingFrame?> FetchAsync(RequestHeader header, FetchRequest request, CancellationToken cancellationToken)
    {
        var byId = header.ApiVersion >= 13;
        var local = new Dictionary<FetchRequest.FetchTopic, short>();
        var forward = new List<(FetchRequest.FetchTopic Data, ZoneTopic Topic)>();
        foreach (var data in request.Topics)
        {
            var topic = byId ? Zone.ByVirtualId.GetValueOrDefault(data.TopicId) : Alias(data.Topic);
            if (topic is null || (byId && runtime.TopicIds.IdOf(topic.Backing) is null))
            {
                local[data] = byId ? UnknownTopicId : UnknownTopicOrPartition;
            }
            else
            {
                forward.Add((data, topic));
            }
        }

        var frames = new List<KafkaFrame>();
        try
        {
            var results = new Dictionary<FetchRequest.FetchTopic, FetchResponse.FetchableTopicResponse>();
            var merged = new FetchResponse { SessionId = 0 };
            foreach (var round in Rounds(forward, f => f.Topic.Backing))
            {
                var upstreamRequest = new FetchRequest
                {
                    ReplicaId = -1,
                    MaxWaitMs = request.MaxWaitMs,
                    MinBytes = request.MinBytes,
                    MaxBytes = request.MaxBytes,
                    IsolationLevel = request.IsolationLevel,
                    SessionId = 0,
                    SessionEpoch = -1,
                    RackId = request.RackId,
                    Topics = [.. round.Select(f => new FetchRequest.FetchTopic
                    {
                        Topic = f.Topic.Backing,
                        TopicId = byId ? runtime.TopicIds.IdOf(f.Topic.Backing)!.Value : Guid.Empty,
                        Partitions = f.Data.Partitions,
                    })],
                };
                var (response, frame) = await SendAsync<FetchResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
                frames.Add(frame);
                for (var i = 0; i < round.Count && i < response.Responses.Count; i++)
                {
                    var topicResponse = response.Responses[i];
                    topicResponse.Topic = round[i].Data.Topic;
                    topicResponse.TopicId = round[i].Data.TopicId;
                    results[round[i].Data] = topicResponse;
                }

                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
                if (merged.ErrorCode == 0)
                {
                    merged.ErrorCode = response.ErrorCode;
                }

                foreach (var endpoint in response.NodeEndpoints.Where(e => merged.NodeEndpoints.All(m => m.NodeId != e.NodeId)))
                {
                    merged.NodeEndpoints.Add(endpoint);
                }
            }

            foreach (var data in request.Topics)
            {
                merged.Responses.Add(results.TryGetValue(data, out var fetched)
                    ? fetched
                    : new FetchResponse.FetchableTopicResponse
                    {
                        Topic = data.Topic,
                        TopicId = data.TopicId,
                        Partitions = [.. data.Partitions.Select(p => new FetchResponse.PartitionData
                        {
                            PartitionIndex = p.Partition,
                            ErrorCode = local.GetValueOrDefault(data, UnknownTopicOrPartition),
                            HighWatermark = -1,
                            Records = ReadOnlyMemory<byte>.Empty,
                        })],
                    });
            }

            AddressRewriter.Rewrite(runtime, merged);
            // The record batches slice the upstream frames: the write loop encodes and then releases them.
            var answer = OutgoingFrame.Encode(header.CorrelationId, header.ApiVersion, merged, frames);
            frames = [];
            return answer;
        }
        finally
        {
            foreach (var frame in frames)
            {
                frame.Dispose();
            }
        }
    }

    /// <summary>Offsets by time or position: READ needed, aliases renamed both ways.</summary>
    private async Task<OutgoingFrame?> ListOffsetsAsync(RequestHeader header, ListOffsetsRequest request, CancellationToken cancellationToken)
    {
        var forward = new List<(ListOffsetsRequest.ListOffsetsTopic Data, ZoneTopic Topic)>();
        foreach (var data in request.Topics)
        {
            if (Alias(data.Name) is { } topic)
            {
                forward.Add((data, topic));
            }
        }

        var results = new Dictionary<ListOffsetsRequest.ListOffsetsTopic, ListOffsetsResponse.ListOffsetsTopicResponse>();
        var merged = new ListOffsetsResponse();
        foreach (var round in Rounds(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new ListOffsetsRequest
            {
                ReplicaId = -1,
                IsolationLevel = request.IsolationLevel,
                TimeoutMs = request.TimeoutMs,
                Topics = [.. round.Select(f => new ListOffsetsRequest.ListOffsetsTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await SendAsync<ListOffsetsResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                foreach (var (result, i) in response.Topics.Select((t, i) => (t, i)).Where(x => x.i < round.Count))
                {
                    result.Name = round[i].Data.Name;
                    results[round[i].Data] = result;
                }

                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
            }
        }

        foreach (var data in request.Topics)
        {
            merged.Topics.Add(results.TryGetValue(data, out var found)
                ? found
                : new ListOffsetsResponse.ListOffsetsTopicResponse
                {
                    Name = data.Name,
                    Partitions = [.. data.Partitions.Select(p => new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = p.PartitionIndex, ErrorCode = UnknownTopicOrPartition })],
                });
        }

        return Local(header, merged);
    }

    private async Task<OutgoingFrame?> OffsetForLeaderEpochAsync(RequestHeader header, OffsetForLeaderEpochRequest request, CancellationToken cancellationToken)
    {
        var forward = request.Topics.Select(t => (Data: t, Topic: Alias(t.Topic))).Where(x => x.Topic is not null).Select(x => (x.Data, Topic: x.Topic!)).ToList();
        var results = new Dictionary<OffsetForLeaderEpochRequest.OffsetForLeaderTopic, OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult>();
        var merged = new OffsetForLeaderEpochResponse();
        foreach (var round in Rounds(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new OffsetForLeaderEpochRequest
            {
                ReplicaId = -1,
                Topics = [.. round.Select(f => new OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await SendAsync<OffsetForLeaderEpochResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                for (var i = 0; i < round.Count && i < response.Topics.Count; i++)
                {
                    response.Topics[i].Topic = round[i].Data.Topic;
                    results[round[i].Data] = response.Topics[i];
                }
            }
        }

        foreach (var data in request.Topics)
        {
            merged.Topics.Add(results.TryGetValue(data, out var found)
                ? found
                : new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult
                {
                    Topic = data.Topic,
                    Partitions = [.. data.Partitions.Select(p => new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = p.Partition, ErrorCode = UnknownTopicOrPartition })],
                });
        }

        return Local(header, merged);
    }
}
