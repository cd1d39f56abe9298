using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Leader epochs of aliases, asked under their backing names; everything else is unknown.</summary>
internal sealed class OffsetForLeaderEpochHandler : ZoneHandler<OffsetForLeaderEpochRequest>
{
    public override string Served => "forwarded, aliases named by their backing topics";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, OffsetForLeaderEpochRequest request, CancellationToken cancellationToken)
    {
        var forward = request.Topics.Select(t => (Data: t, Topic: context.Alias(t.Topic))).Where(x => x.Topic is not null).Select(x => (x.Data, Topic: x.Topic!)).ToList();
        var results = new Dictionary<OffsetForLeaderEpochRequest.OffsetForLeaderTopic, OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult>();
        var merged = new OffsetForLeaderEpochResponse();
        foreach (var round in Rounds.ByBacking(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new OffsetForLeaderEpochRequest
            {
                ReplicaId = -1,
                Topics = [.. round.Select(f => new OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = f.Topic.Backing, Partitions = f.Data.Partitions })],
            };
            var (response, frame) = await context.SendAsync<OffsetForLeaderEpochResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
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
                    Partitions = [.. data.Partitions.Select(p => new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = p.Partition, ErrorCode = ErrorCodes.UnknownTopicOrPartition })],
                });
        }

        return ZoneContext.Local(header, merged);
    }
}
