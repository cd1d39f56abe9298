using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Partners cannot change configuration: topic resources get TOPIC_AUTHORIZATION_FAILED, every
/// other resource CLUSTER_AUTHORIZATION_FAILED.</summary>
internal sealed class IncrementalAlterConfigsHandler : RefusingHandler<IncrementalAlterConfigsRequest>
{
    public override string Refusal => "topic resources: TOPIC_AUTHORIZATION_FAILED; other resources: CLUSTER_AUTHORIZATION_FAILED";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, IncrementalAlterConfigsRequest request) => new IncrementalAlterConfigsResponse
    {
        Responses = [.. request.Resources.Select(r => new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
        {
            ResourceType = r.ResourceType,
            ResourceName = r.ResourceName,
            ErrorCode = ConfigResources.ChangeRefusal(r.ResourceType),
            ErrorMessage = "Partner zones cannot change configuration.",
        })],
    };
}
