using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Partners cannot add partitions: every topic gets TOPIC_AUTHORIZATION_FAILED.</summary>
internal sealed class CreatePartitionsHandler : RefusingHandler<CreatePartitionsRequest>
{
    public override string Refusal => "every topic: TOPIC_AUTHORIZATION_FAILED";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, CreatePartitionsRequest request) => new CreatePartitionsResponse
    {
        Results = [.. request.Topics.Select(t => new CreatePartitionsResponse.CreatePartitionsTopicResult
        {
            Name = t.Name,
            ErrorCode = ErrorCodes.TopicAuthorizationFailed,
            ErrorMessage = "Partner zones cannot add partitions.",
        })],
    };
}
