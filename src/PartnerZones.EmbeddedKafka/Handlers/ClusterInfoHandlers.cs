using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Lists every node (KIP-700).</summary>
internal sealed class DescribeClusterHandler : ApiHandler<DescribeClusterRequest, DescribeClusterResponse>
{
    protected override ValueTask<DescribeClusterResponse?> HandleAsync(RequestContext context, DescribeClusterRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Node.Cluster;
        var response = new DescribeClusterResponse { ClusterId = cluster.Options.ClusterId, ControllerId = 0 };
        foreach (var node in cluster.Nodes)
        {
            response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker { BrokerId = node.Id, Host = cluster.Options.Host, Port = node.EndPoint.Port });
        }

        return ValueTask.FromResult<DescribeClusterResponse?>(response);
    }
}

/// <summary>Describes topic configs (defaults plus overrides) and broker configs.</summary>
internal sealed class DescribeConfigsHandler : ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse>
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;

    // Config sources (KIP-226): 1 topic override, 4 static broker config, 5 default.
    private const sbyte TopicOverride = 1;
    private const sbyte StaticBroker = 4;
    private const sbyte DefaultConfig = 5;

    protected override ValueTask<DescribeConfigsResponse?> HandleAsync(RequestContext context, DescribeConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            IEnumerable<(string Key, string Value, sbyte Source)> entries;
            if (resource.ResourceType == TopicResource)
            {
                var topic = context.Node.State.Find(resource.ResourceName);
                if (topic is null)
                {
                    result.ErrorCode = ErrorCodes.UnknownTopicOrPartition;
                    result.ErrorMessage = $"Topic '{resource.ResourceName}' does not exist.";
                    response.Results.Add(result);
                    continue;
                }

                entries = TopicConfigDefaults.Values.Keys.Union(topic.Configs.Keys)
                    .Select(k => (k, TopicConfigDefaults.Effective(topic, k), topic.Configs.ContainsKey(k) ? TopicOverride : DefaultConfig));
            }
            else if (resource.ResourceType == BrokerResource)
            {
                entries = TopicConfigDefaults.Broker.Select(kv => (kv.Key, kv.Value, StaticBroker));
            }
            else
            {
                result.ErrorCode = ErrorCodes.InvalidRequest;
                result.ErrorMessage = $"Resource type {resource.ResourceType} is not supported; describe topics (2) or brokers (4).";
                response.Results.Add(result);
                continue;
            }

            foreach (var (key, value, source) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (resource.ConfigurationKeys is { } keys && !keys.Contains(key))
                {
                    continue;
                }

                result.Configs.Add(new DescribeConfigsResponse.DescribeConfigsResourceResult
                {
                    Name = key,
                    Value = value,
                    ConfigSource = source,
                    IsDefault = source == DefaultConfig,
                });
            }

            response.Results.Add(result);
        }

        return ValueTask.FromResult<DescribeConfigsResponse?>(response);
    }
}
