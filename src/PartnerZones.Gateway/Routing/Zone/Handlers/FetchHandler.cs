using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>READ (or WRITE) aliases are fetched under their backing names or real ids; everything else is
/// answered as unknown here. Fetch sessions are declined (session id 0), so every fetch is a full fetch
/// and no upstream session state can name a topic outside the zone. Record batches pass through as bytes,
/// unless the zone removes headers (Headers/FetchHeaders).</summary>
internal sealed class FetchHandler : ZoneHandler<FetchRequest>
{
    public override string Served => "forwarded, aliases named by their backing topics (or real ids); fetch sessions declined; headers the zone removes stripped";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION; ids outside the zone: UNKNOWN_TOPIC_ID";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, FetchRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var runtime = context.Runtime;
        var byId = header.ApiVersion >= 13;
        var local = new Dictionary<FetchRequest.FetchTopic, short>();
        var forward = new List<(FetchRequest.FetchTopic Data, ZoneTopic Topic)>();
        foreach (var data in request.Topics)
        {
            var topic = byId ? zone.ByVirtualId.GetValueOrDefault(data.TopicId) : context.Alias(data.Topic);
            if (topic is null || (byId && runtime.TopicIds.IdOf(topic.Backing) is null))
            {
                local[data] = byId ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition;
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
            foreach (var round in Rounds.ByBacking(forward, f => f.Topic.Backing))
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
                var (response, frame) = await context.SendAsync<FetchResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
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
                            ErrorCode = local.GetValueOrDefault(data, ErrorCodes.UnknownTopicOrPartition),
                            HighWatermark = -1,
                            Records = ReadOnlyMemory<byte>.Empty,
                        })],
                    });
            }

            Headers.FetchHeaders.Apply(zone, merged);
            // The zone's consume rate counts what goes back to the partner (after header rules removed theirs);
            // an answer over the rate carries the throttle time.
            merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, runtime.Traffic.Fetched(zone.Zone, Traffic.RecordBytes.Of(merged), context.Mute));
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
}
