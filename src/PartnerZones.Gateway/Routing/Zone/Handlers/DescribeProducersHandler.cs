using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Active producers of the zone's aliases (READ, which every alias has), asked under the backing names;
/// names outside the zone get UNKNOWN_TOPIC_OR_PARTITION. The producers of a shared backing topic are
/// all shown, the zone's own or not: producer ids, epochs and sequences are already in every record
/// batch a partner fetches from that topic, so they tell it nothing new, and they carry no names.
/// </summary>
internal sealed class DescribeProducersHandler : ZoneHandler<DescribeProducersRequest>
{
    public override string Served => "forwarded, aliases named by their backing topics";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, DescribeProducersRequest request, CancellationToken cancellationToken)
    {
        var forward = request.Topics.Select(t => (Data: t, Topic: context.Alias(t.Name))).Where(x => x.Topic is not null).Select(x => (x.Data, Topic: x.Topic!)).ToList();
        var results = new Dictionary<DescribeProducersRequest.TopicRequest, DescribeProducersResponse.TopicResponse>();
        var merged = new DescribeProducersResponse();
        foreach (var round in Rounds.ByBacking(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new DescribeProducersRequest
            {
                Topics = [.. round.Select(f => new DescribeProducersRequest.TopicRequest { Name = f.Topic.Backing, PartitionIndexes = f.Data.PartitionIndexes })],
            };
            var (response, frame) = await context.SendAsync<DescribeProducersResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                merged.ThrottleTimeMs = Math.Max(merged.ThrottleTimeMs, response.ThrottleTimeMs);
                for (var i = 0; i < round.Count && i < response.Topics.Count; i++)
                {
                    var (data, topic) = round[i];
                    var answer = response.Topics[i];
                    answer.Name = data.Name;
                    foreach (var partition in answer.Partitions)
                    {
                        partition.ErrorMessage = ZoneText.InZoneTerms(partition.ErrorMessage, topic);
                    }

                    results[data] = answer;
                }
            }
        }

        foreach (var data in request.Topics)
        {
            merged.Topics.Add(results.TryGetValue(data, out var found) ? found : new DescribeProducersResponse.TopicResponse
            {
                Name = data.Name,
                Partitions = [.. data.PartitionIndexes.Select(p => new DescribeProducersResponse.PartitionResponse { PartitionIndex = p, ErrorCode = ErrorCodes.UnknownTopicOrPartition })],
            });
        }

        return ZoneContext.Local(header, merged);
    }
}
