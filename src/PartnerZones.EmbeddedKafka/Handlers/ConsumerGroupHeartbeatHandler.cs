using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;
using static PartnerZones.Protocol.Messages.ConsumerGroupHeartbeatStructs;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// The heartbeat of the consumer group protocol (KIP-848): joins, leaves, and carries subscription changes and
/// owned partitions one way and the member's epoch and assignment the other. From v1 the client makes up its
/// own member id and may subscribe with a regex.
/// </summary>
internal sealed class ConsumerGroupHeartbeatHandler : ApiHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>
{
    protected override ValueTask<ConsumerGroupHeartbeatResponse?> HandleAsync(RequestContext context, ConsumerGroupHeartbeatRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Node.Cluster;
        if (cluster.Groups.CoordinatorFor(request.GroupId) != context.Node.Id)
        {
            return Answer(new ConsumerGroupHeartbeatResponse { ErrorCode = ErrorCodes.NotCoordinator });
        }

        var result = cluster.ConsumerGroups.Heartbeat(new ConsumerHeartbeat(
            request.GroupId,
            request.MemberId,
            request.MemberEpoch,
            request.InstanceId,
            request.RackId,
            request.RebalanceTimeoutMs,
            request.SubscribedTopicNames,
            context.Version >= 1 ? request.SubscribedTopicRegex : null,
            request.ServerAssignor,
            request.TopicPartitions?.SelectMany(t => t.Partitions.Select(p => new TopicPartitionId(t.TopicId, p))).ToHashSet(),
            context.Header.ClientId ?? "",
            "/" + (context.Connection.Remote?.ToString()?.Split(':')[0] ?? "127.0.0.1"),
            ClientGeneratesMemberId: context.Version >= 1));

        var response = new ConsumerGroupHeartbeatResponse
        {
            ErrorCode = result.ErrorCode,
            ErrorMessage = result.ErrorMessage,
            MemberId = result.MemberId,
            MemberEpoch = result.MemberEpoch,
            HeartbeatIntervalMs = cluster.ConsumerGroups.HeartbeatIntervalMs,
        };
        if (result.Assignment is { } assignment)
        {
            response.Assignment = new ConsumerGroupHeartbeatResponse.AssignmentData();
            foreach (var topic in assignment.GroupBy(p => p.TopicId))
            {
                response.Assignment.TopicPartitions.Add(new TopicPartitionsData { TopicId = topic.Key, Partitions = [.. topic.Select(p => p.Partition).Order()] });
            }
        }

        return Answer(response);
    }

    private static ValueTask<ConsumerGroupHeartbeatResponse?> Answer(ConsumerGroupHeartbeatResponse response) =>
        ValueTask.FromResult<ConsumerGroupHeartbeatResponse?>(response);
}
