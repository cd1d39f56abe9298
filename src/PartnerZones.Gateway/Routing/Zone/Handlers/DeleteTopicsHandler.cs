using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Partners cannot delete topics: every topic, by name or (v6+) by id, gets TOPIC_AUTHORIZATION_FAILED.</summary>
internal sealed class DeleteTopicsHandler : RefusingHandler<DeleteTopicsRequest>
{
    public override string Refusal => "every topic: TOPIC_AUTHORIZATION_FAILED";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, DeleteTopicsRequest request)
    {
        var response = new DeleteTopicsResponse();
        var targets = version >= 6 ? request.Topics.Select(t => (t.Name, t.TopicId)) : request.TopicNames.Select(n => ((string?)n, Guid.Empty));
        foreach (var (name, id) in targets)
        {
            response.Responses.Add(new DeleteTopicsResponse.DeletableTopicResult
            {
                Name = name,
                TopicId = id,
                ErrorCode = ErrorCodes.TopicAuthorizationFailed,
                ErrorMessage = "Partner zones cannot delete topics.",
            });
        }

        return response;
    }
}
