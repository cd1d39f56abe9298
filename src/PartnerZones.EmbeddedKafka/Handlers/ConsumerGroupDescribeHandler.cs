using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Describes consumer-protocol groups: epochs, assignor, and each member's subscription, current and
/// target assignment. A classic group is not a consumer group here, as in Kafka (GROUP_ID_NOT_FOUND).</summary>
internal sealed class ConsumerGroupDescribeHandler : ApiHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>
{
    // Kafka's MemberType values (KIP-1099): this cluster has no classic members in consumer groups.
    private const sbyte ConsumerMemberType = 1;

    protected override ValueTask<ConsumerGroupDescribeResponse?> HandleAsync(RequestContext context, ConsumerGroupDescribeRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Node.Cluster;
        var response = new ConsumerGroupDescribeResponse();
        foreach (var groupId in request.GroupIds)
        {
            var described = new ConsumerGroupDescribeResponse.DescribedGroup { GroupId = groupId };
            response.Groups.Add(described);
            if (cluster.Groups.CoordinatorFor(groupId) != context.Node.Id)
            {
                described.ErrorCode = ErrorCodes.NotCoordinator;
                continue;
            }

            var group = cluster.Groups.Find(groupId);
            if (group is null)
            {
                described.ErrorCode = ErrorCodes.GroupIdNotFound;
                described.ErrorMessage = "The group does not exist.";
                continue;
            }

            lock (group)
            {
                if (group.Modern is not { } state)
                {
                    described.ErrorCode = ErrorCodes.GroupIdNotFound;
                    described.ErrorMessage = "The group is not a consumer group.";
                    continue;
                }

                described.GroupState = state.StateName;
                described.GroupEpoch = state.GroupEpoch;
                described.AssignmentEpoch = state.AssignmentEpoch;
                described.AssignorName = state.AssignorName;
                foreach (var m in state.Members.Values.OrderBy(m => m.MemberId, StringComparer.Ordinal))
                {
                    described.Members.Add(new ConsumerGroupDescribeResponse.Member
                    {
                        MemberId = m.MemberId,
                        InstanceId = m.InstanceId,
                        RackId = m.RackId,
                        MemberEpoch = m.MemberEpoch,
                        ClientId = m.ClientId,
                        ClientHost = m.ClientHost,
                        SubscribedTopicNames = [.. m.SubscribedTopicNames],
                        SubscribedTopicRegex = m.SubscribedTopicRegex,
                        Assignment = Describe(cluster.State, m.Assigned),
                        TargetAssignment = Describe(cluster.State, state.Target.GetValueOrDefault(m.MemberId) ?? []),
                        MemberType = ConsumerMemberType,
                    });
                }
            }
        }

        return ValueTask.FromResult<ConsumerGroupDescribeResponse?>(response);
    }

    private static ConsumerGroupDescribeResponse.AssignmentData Describe(ClusterState topics, IEnumerable<TopicPartitionId> partitions)
    {
        var assignment = new ConsumerGroupDescribeResponse.AssignmentData();
        foreach (var topic in partitions.GroupBy(p => p.TopicId).OrderBy(g => g.Key))
        {
            assignment.TopicPartitions.Add(new ConsumerGroupDescribeResponse.TopicPartitionsData
            {
                TopicId = topic.Key,
                TopicName = topics.Find(topic.Key)?.Name ?? "",
                Partitions = [.. topic.Select(p => p.Partition).Order()],
            });
        }

        return assignment;
    }
}
