using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Only the zone's aliases exist: a null list (or empty in v0) means every alias; names and ids
/// outside the zone are answered locally as unknown; upstream never auto-creates a topic.</summary>
internal sealed class MetadataHandler : ZoneHandler<MetadataRequest>
{
    public override string Served => "filtered to the zone: only its aliases, each with a virtual id; brokers are the gateway's; never auto-creates";

    public override string Refusal => "names outside the zone: UNKNOWN_TOPIC_OR_PARTITION; ids outside the zone: UNKNOWN_TOPIC_ID";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, MetadataRequest request, CancellationToken cancellationToken)
    {
        var zone = context.Zone;
        var wanted = new List<(ZoneTopic? Topic, string? Name, Guid Id)>();
        if (request.Topics is null || (header.ApiVersion == 0 && request.Topics.Count == 0))
        {
            wanted.AddRange(zone.Topics.Select(t => ((ZoneTopic?)t, (string?)t.Alias, t.VirtualId)));
        }
        else
        {
            foreach (var t in request.Topics)
            {
                var topic = t.Name is not null ? context.Alias(t.Name) : zone.ByVirtualId.GetValueOrDefault(t.TopicId);
                wanted.Add((topic, t.Name, t.TopicId));
            }
        }

        var backing = wanted.Where(w => w.Topic is not null).Select(w => w.Topic!.Backing).Distinct(StringComparer.Ordinal).ToList();
        var upstreamRequest = new MetadataRequest
        {
            Topics = [.. backing.Select(b => new MetadataRequest.MetadataRequestTopic { Name = b })],
            AllowAutoTopicCreation = false,
            IncludeTopicAuthorizedOperations = false,
        };
        if (header.ApiVersion <= 3)
        {
            // Versions 0-3 have no allow_auto_topic_creation field and a broker reads its absence as "allowed":
            // naming a backing topic (or any placeholder) could create it on a cluster with
            // auto.create.topics.enable. Ask for every topic instead (empty list in v0, null in v1-3) and keep the
            // zone's below; only old clients (kafka-python's first probe) pay for the larger answer.
            upstreamRequest.Topics = header.ApiVersion == 0 ? [] : null;
        }

        var runtime = context.Runtime;
        return await context.ForwardAsync<MetadataResponse>(header, upstreamRequest, response =>
        {
            AddressRewriter.Rewrite(runtime, response);
            var byBacking = new Dictionary<string, MetadataResponse.MetadataResponseTopic>(StringComparer.Ordinal);
            foreach (var topic in response.Topics)
            {
                if (topic.Name is { } name)
                {
                    byBacking[name] = topic;
                    runtime.TopicIds.Learn(name, topic.TopicId);
                }
            }

            response.Topics = [.. wanted.Select(w => Describe(w.Topic, w.Name, w.Id, byBacking))];
        }, cancellationToken).ConfigureAwait(false);
    }

    private static MetadataResponse.MetadataResponseTopic Describe(
        ZoneTopic? topic, string? name, Guid id, Dictionary<string, MetadataResponse.MetadataResponseTopic> byBacking)
    {
        if (topic is null)
        {
            return new MetadataResponse.MetadataResponseTopic
            {
                Name = name,
                TopicId = name is null ? id : Guid.Empty,
                ErrorCode = name is null ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition,
            };
        }

        if (!byBacking.TryGetValue(topic.Backing, out var upstreamTopic))
        {
            return new MetadataResponse.MetadataResponseTopic { Name = topic.Alias, TopicId = topic.VirtualId, ErrorCode = ErrorCodes.UnknownTopicOrPartition };
        }

        return new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Alias,
            TopicId = topic.VirtualId,
            ErrorCode = upstreamTopic.ErrorCode,
            IsInternal = false,
            Partitions = upstreamTopic.Partitions,
        };
    }
}
