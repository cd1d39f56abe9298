using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Partners cannot change configuration: topic resources get TOPIC_AUTHORIZATION_FAILED, every
/// other resource CLUSTER_AUTHORIZATION_FAILED.</summary>
internal sealed class AlterConfigsHandler : RefusingHandler<AlterConfigsRequest>
{
    public override string Refusal => "topic resources: TOPIC_AUTHORIZATION_FAILED; other resources: CLUSTER_AUTHORIZATION_FAILED";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, AlterConfigsRequest request) => new AlterConfigsResponse
    {
        Responses = [.. request.Resources.Select(r => new AlterConfigsResponse.AlterConfigsResourceResponse
        {
            ResourceType = r.ResourceType,
            ResourceName = r.ResourceName,
            ErrorCode = ConfigResources.ChangeRefusal(r.ResourceType),
            ErrorMessage = "Partner zones cannot change configuration.",
        })],
    };
}
