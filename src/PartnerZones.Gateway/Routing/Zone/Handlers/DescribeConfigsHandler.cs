using PartnerZones.Gateway.Network;
using PartnerZones.Gateway.Policy;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>
/// Topic configs of the zone's aliases: the backing topic's config, asked upstream and answered under
/// the alias. What a partner is shown is the topic's effective configuration and no more:
/// <list type="bullet">
/// <item>entries Kafka marks sensitive are removed (their values are hidden anyway; their presence is
/// the operator's business);</item>
/// <item>synonyms are kept only when they are the topic's own override or Kafka's built-in default:
/// synonyms from dynamic, default-dynamic or static broker config, or a broker logger, name broker
/// properties (log.retention.hours and the like) and show how the operator set up the brokers;</item>
/// <item>each entry keeps its value and source: the value is what the topic really uses, which a partner
/// needs (retention, compaction, message size), and the source only says that it was set on the broker.</item>
/// </list>
/// Topic names outside the zone get UNKNOWN_TOPIC_OR_PARTITION (they do not exist for the partner).
/// Brokers, broker loggers and client-metrics resources are cluster resources: CLUSTER_AUTHORIZATION_FAILED,
/// as from Kafka without DESCRIBE_CONFIGS on the cluster. Group configs: GROUP_AUTHORIZATION_FAILED. A
/// resource type Kafka does not know makes the whole request INVALID_REQUEST, as with Kafka.
/// </summary>
internal sealed class DescribeConfigsHandler : ZoneHandler<DescribeConfigsRequest>
{
    public override string Served => "an alias's backing topic config, asked upstream and answered under the alias";

    public override string Refusal =>
        "other topic names: UNKNOWN_TOPIC_OR_PARTITION; brokers, broker loggers, client metrics: CLUSTER_AUTHORIZATION_FAILED; groups: GROUP_AUTHORIZATION_FAILED; sensitive entries and broker-level synonyms are removed";

    protected override async Task<OutgoingFrame?> ServeAsync(ZoneContext context, RequestHeader header, DescribeConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeConfigsResponse();
        if (request.Resources.FirstOrDefault(r => ResourceRefusal(r.ResourceType) is null && r.ResourceType != ConfigResources.Topic) is { } unknown)
        {
            foreach (var resource in request.Resources)
            {
                response.Results.Add(Refused(resource, ErrorCodes.InvalidRequest, $"Unexpected resource type {unknown.ResourceType} for resource {unknown.ResourceName}."));
            }

            return ZoneContext.Local(header, response);
        }

        var answered = new Dictionary<DescribeConfigsRequest.DescribeConfigsResource, DescribeConfigsResponse.DescribeConfigsResult>();
        var forward = new List<(DescribeConfigsRequest.DescribeConfigsResource Resource, ZoneTopic Topic)>();
        foreach (var resource in request.Resources)
        {
            if (resource.ResourceType != ConfigResources.Topic)
            {
                answered[resource] = Refused(resource, ResourceRefusal(resource.ResourceType)!.Value, "Partner zones can describe the configuration of their own topics only.");
            }
            else if (context.Alias(resource.ResourceName) is { } topic)
            {
                forward.Add((resource, topic));
            }
            else
            {
                answered[resource] = Refused(resource, ErrorCodes.UnknownTopicOrPartition, null);
            }
        }

        foreach (var round in Rounds.ByBacking(forward, f => f.Topic.Backing))
        {
            var upstreamRequest = new DescribeConfigsRequest
            {
                IncludeSynonyms = request.IncludeSynonyms,
                IncludeDocumentation = request.IncludeDocumentation,
                Resources = [.. round.Select(f => new DescribeConfigsRequest.DescribeConfigsResource
                {
                    ResourceType = ConfigResources.Topic,
                    ResourceName = f.Topic.Backing,
                    ConfigurationKeys = f.Resource.ConfigurationKeys,
                })],
            };
            var (upstreamResponse, frame) = await context.SendAsync<DescribeConfigsResponse>(header, upstreamRequest, cancellationToken).ConfigureAwait(false);
            using (frame)
            {
                response.ThrottleTimeMs = Math.Max(response.ThrottleTimeMs, upstreamResponse.ThrottleTimeMs);
                foreach (var (resource, topic) in round)
                {
                    // Matched by name: a round names each backing topic once.
                    var result = upstreamResponse.Results.FirstOrDefault(r => r.ResourceType == ConfigResources.Topic && r.ResourceName == topic.Backing);
                    answered[resource] = result is null
                        ? Refused(resource, ErrorCodes.UnknownTopicOrPartition, null)
                        : InZoneTerms(result, topic);
                }
            }
        }

        foreach (var resource in request.Resources)
        {
            response.Results.Add(answered[resource]);
        }

        return ZoneContext.Local(header, response);
    }

    /// <summary>The refusal for a resource type that is not a topic, or null for a type Kafka does not know.</summary>
    private static short? ResourceRefusal(sbyte resourceType) => resourceType switch
    {
        ConfigResources.Broker or ConfigResources.BrokerLogger or ConfigResources.ClientMetrics => ErrorCodes.ClusterAuthorizationFailed,
        ConfigResources.Group => ErrorCodes.GroupAuthorizationFailed,
        _ => null,
    };

    private static DescribeConfigsResponse.DescribeConfigsResult Refused(DescribeConfigsRequest.DescribeConfigsResource resource, short error, string? message) => new()
    {
        ResourceType = resource.ResourceType,
        ResourceName = resource.ResourceName,
        ErrorCode = error,
        ErrorMessage = message,
    };

    /// <summary>The backing topic's answer as the alias's, without what a partner is not shown.</summary>
    private static DescribeConfigsResponse.DescribeConfigsResult InZoneTerms(DescribeConfigsResponse.DescribeConfigsResult result, ZoneTopic topic)
    {
        result.ResourceName = topic.Alias;
        result.ErrorMessage = ZoneText.InZoneTerms(result.ErrorMessage, topic);
        result.Configs = [.. result.Configs.Where(c => !c.IsSensitive)];
        foreach (var config in result.Configs)
        {
            config.Synonyms = [.. config.Synonyms.Where(s => s.Source is ConfigResources.TopicConfigSource or ConfigResources.DefaultConfigSource)];
        }

        return result;
    }
}
