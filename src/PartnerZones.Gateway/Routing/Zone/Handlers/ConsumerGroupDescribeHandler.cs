using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>KIP-848 consumer groups are not available to partner zones yet (see
/// <see cref="ConsumerGroupHeartbeatHandler"/>): every group asked for gets GROUP_AUTHORIZATION_FAILED, as
/// from Kafka for a group the principal may not describe.</summary>
internal sealed class ConsumerGroupDescribeHandler : RefusingHandler<ConsumerGroupDescribeRequest>
{
    public override string Refusal => "every group: GROUP_AUTHORIZATION_FAILED (the KIP-848 consumer group protocol is not available to partner zones yet)";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, ConsumerGroupDescribeRequest request) => new ConsumerGroupDescribeResponse
    {
        Groups = [.. request.GroupIds.Select(id => new ConsumerGroupDescribeResponse.DescribedGroup
        {
            GroupId = id,
            ErrorCode = ErrorCodes.GroupAuthorizationFailed,
            ErrorMessage = ConsumerGroupHeartbeatHandler.NotYetMessage,
        })],
    };
}
