using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Lists nodes and topics; creates requested topics when auto-creation is on and asked for.</summary>
internal sealed class MetadataHandler : ApiHandler<MetadataRequest, MetadataResponse>
{
    protected override ValueTask<MetadataResponse?> HandleAsync(RequestContext context, MetadataRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Node.Cluster;
        var response = new MetadataResponse { ClusterId = cluster.Options.ClusterId, ControllerId = 0 };
        foreach (var node in cluster.Nodes)
        {
            response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = node.Id, Host = cluster.Options.Host, Port = node.EndPoint.Port });
        }

        // v0: an empty list means all topics; v1+: null means all topics.
        var all = request.Topics is null || (context.Version == 0 && request.Topics.Count == 0);
        if (all)
        {
            foreach (var topic in cluster.State.All())
            {
                response.Topics.Add(Describe(topic));
            }
        }
        else
        {
            foreach (var wanted in request.Topics!)
            {
                var topic = wanted.Name is { } name ? cluster.State.Find(name) : cluster.State.Find(wanted.TopicId);
                if (topic is null && wanted.Name is { } newName && request.AllowAutoTopicCreation && cluster.Options.AutoCreateTopics)
                {
                    topic = cluster.State.Create(newName, cluster.Options.DefaultPartitions, 1, new Dictionary<string, string>()).Topic
                        ?? cluster.State.Find(newName);
                }

                response.Topics.Add(topic is null
                    ? new MetadataResponse.MetadataResponseTopic
                    {
                        Name = wanted.Name,
                        TopicId = wanted.TopicId,
                        ErrorCode = wanted.Name is null ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition,
                    }
                    : Describe(topic));
            }
        }

        return ValueTask.FromResult<MetadataResponse?>(response);
    }

    private static MetadataResponse.MetadataResponseTopic Describe(TopicState topic)
    {
        var result = new MetadataResponse.MetadataResponseTopic { Name = topic.Name, TopicId = topic.Id, IsInternal = topic.IsInternal };
        foreach (var partition in topic.Partitions)
        {
            result.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = partition.Index,
                LeaderId = partition.Leader,
                LeaderEpoch = partition.LeaderEpoch,
                ReplicaNodes = [.. partition.Replicas],
                IsrNodes = [.. partition.Replicas],
            });
        }

        return result;
    }
}
