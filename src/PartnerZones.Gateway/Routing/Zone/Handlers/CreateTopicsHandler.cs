using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Partners cannot create topics: every topic gets TOPIC_AUTHORIZATION_FAILED, as from Kafka
/// for a principal without CREATE.</summary>
internal sealed class CreateTopicsHandler : RefusingHandler<CreateTopicsRequest>
{
    public override string Refusal => "every topic: TOPIC_AUTHORIZATION_FAILED";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, CreateTopicsRequest request) => new CreateTopicsResponse
    {
        Topics = [.. request.Topics.Select(t => new CreateTopicsResponse.CreatableTopicResult
        {
            Name = t.Name,
            ErrorCode = ErrorCodes.TopicAuthorizationFailed,
            ErrorMessage = "Partner zones cannot create topics; ask the platform team to share one.",
            Configs = null,
        })],
    };
}
