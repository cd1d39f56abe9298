using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Adds partitions to existing topics.</summary>
internal sealed class CreatePartitionsHandler : ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    protected override ValueTask<CreatePartitionsResponse?> HandleAsync(RequestContext context, CreatePartitionsRequest request, CancellationToken cancellationToken)
    {
        var response = new CreatePartitionsResponse();
        foreach (var topic in request.Topics)
        {
            var (code, message) = context.Node.State.AddPartitions(topic.Name, topic.Count, request.ValidateOnly);
            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = topic.Name, ErrorCode = code, ErrorMessage = message });
        }

        return ValueTask.FromResult<CreatePartitionsResponse?>(response);
    }
}
