using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Deletes topics by name (all versions) or by id (v6+).</summary>
internal sealed class DeleteTopicsHandler : ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse>
{
    protected override ValueTask<DeleteTopicsResponse?> HandleAsync(RequestContext context, DeleteTopicsRequest request, CancellationToken cancellationToken)
    {
        var state = context.Node.State;
        var response = new DeleteTopicsResponse();
        var targets = context.Version >= 6
            ? request.Topics.Select(t => (t.Name, t.TopicId))
            : request.TopicNames.Select(n => ((string?)n, Guid.Empty));
        foreach (var (name, id) in targets)
        {
            var topic = name is not null ? state.Find(name) : state.Find(id);
            var result = new DeleteTopicsResponse.DeletableTopicResult { Name = name ?? topic?.Name, TopicId = topic?.Id ?? id };
            if (topic is null || !state.Delete(topic.Name))
            {
                result.ErrorCode = name is null ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition;
                result.ErrorMessage = name is null ? $"No topic has id {id}." : $"Topic '{name}' does not exist.";
            }

            response.Responses.Add(result);
        }

        return ValueTask.FromResult<DeleteTopicsResponse?>(response);
    }
}
