using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Offsets by time or position: READ needed (every alias has it), aliases renamed both ways.</summary>
internal sealed class ListOffsetsHandler : ZoneHandler<ListOffsetsRequest>
{
    public override string Served => "forwarded, aliases named by their backing topics";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, ListOffsetsRequest request, CancellationToken cancellationToken)
    {
        var forward = new List<(ListOffsetsRequest.ListOffsetsTopic Data, ZoneTopic Topic)>();
        foreach (var data in request.Topics)
        {
            if (context.Alias(data.Name) is { } topic)
            {
                forward.Add((data, topic));
            }
        }

        var results = new Dictionary<ListOffsetsRequest.ListOffsetsTopic, ListOffsetsResponse.ListOffsetsTopicResponse>();
        var merged = new ListOffsetsResponse();
        foreach (var round in Rounds.ByBacking(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new ListOffsetsRequest
            {
                ReplicaId = -1,
                IsolationLevel = request.IsolationLevel,
                TimeoutMs = request.TimeoutMs,
                Topics = [.. round.Select(f => new ListOffsetsRequest.ListOffsetsTopic { Name = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await context.SendAsync<ListOffsetsResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
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
                    Partitions = [.. data.Partitions.Select(p => new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = p.PartitionIndex, ErrorCode = ErrorCodes.UnknownTopicOrPartition })],
                });
        }

        return ZoneContext.Local(header, merged);
    }
}
