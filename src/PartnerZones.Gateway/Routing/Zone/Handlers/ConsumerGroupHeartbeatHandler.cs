using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>The consumer group protocol of KIP-848 is not mapped for partner zones yet (its assignments
/// name topics by id and its regex subscriptions match backing names): a member is refused as Kafka
/// refuses a principal without READ on the group, and the message says why. Clients that fall back,
/// or are configured for the classic protocol (group.protocol=classic), join as before.</summary>
internal sealed class ConsumerGroupHeartbeatHandler : RefusingHandler<ConsumerGroupHeartbeatRequest>
{
    public const string NotYetMessage =
        "The consumer group protocol (KIP-848) is not available to partner zones yet; use the classic protocol (group.protocol=classic).";

    public override string Refusal => "GROUP_AUTHORIZATION_FAILED (the KIP-848 consumer group protocol is not available to partner zones yet)";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, ConsumerGroupHeartbeatRequest request) => new ConsumerGroupHeartbeatResponse
    {
        ErrorCode = ErrorCodes.GroupAuthorizationFailed,
        ErrorMessage = NotYetMessage,
    };
}
