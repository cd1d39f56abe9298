using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>KIP-848 consumer groups are not available to partner zones yet (see
/// <see cref="ConsumerGroupHeartbeatHandler"/>), so a partner has no group of that kind: every group asked
/// for gets GROUP_ID_NOT_FOUND, which is what Kafka answers for a group that is not a consumer-protocol
/// group. Clients take that as their cue to describe the group with DescribeGroups instead (librdkafka's
/// DescribeConsumerGroups does), so a partner's classic groups stay describable in front of a Kafka 4
/// upstream that offers this API; an authorization error would fail the whole call.</summary>
internal sealed class ConsumerGroupDescribeHandler : RefusingHandler<ConsumerGroupDescribeRequest>
{
    public override string Refusal => "every group: GROUP_ID_NOT_FOUND (no group of a partner zone uses the KIP-848 protocol yet; clients fall back to DescribeGroups)";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, ConsumerGroupDescribeRequest request) => new ConsumerGroupDescribeResponse
    {
        Groups = [.. request.GroupIds.Select(id => new ConsumerGroupDescribeResponse.DescribedGroup
        {
            GroupId = id,
            ErrorCode = ErrorCodes.GroupIdNotFound,
            ErrorMessage = $"The group is not a consumer group. {ConsumerGroupHeartbeatHandler.NotYetMessage}",
        })],
    };
}
