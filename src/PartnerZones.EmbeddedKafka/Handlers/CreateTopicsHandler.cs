using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Creates topics with Kafka's name rules, partition counts and replication factors up to the node count.</summary>
internal sealed class CreateTopicsHandler : ApiHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    protected override ValueTask<CreateTopicsResponse?> HandleAsync(RequestContext context, CreateTopicsRequest request, CancellationToken cancellationToken)
    {
        var state = context.Node.State;
        var options = context.Node.Options;
        var response = new CreateTopicsResponse();
        foreach (var wanted in request.Topics)
        {
            var configs = wanted.Configs.Where(c => c.Value is not null).ToDictionary(c => c.Name, c => c.Value!);
            var partitions = wanted.NumPartitions == -1 ? options.DefaultPartitions : wanted.NumPartitions;
            var replication = wanted.ReplicationFactor == -1 ? (short)1 : wanted.ReplicationFactor;
            (short code, string? message, TopicState? topic) = wanted.Assignments.Count > 0
                ? (ErrorCodes.InvalidRequest, "Manual replica assignment is not supported by the embedded cluster; give a partition count instead.", null)
                : state.Create(wanted.Name, partitions, replication, configs, request.ValidateOnly);
            response.Topics.Add(new CreateTopicsResponse.CreatableTopicResult
            {
                Name = wanted.Name,
                TopicId = topic?.Id ?? Guid.Empty,
                ErrorCode = code,
                ErrorMessage = message,
                NumPartitions = code == 0 ? partitions : -1,
                ReplicationFactor = code == 0 ? replication : (short)-1,
                Configs = code == 0
                    ? [.. configs.Select(c => new CreateTopicsResponse.CreatableTopicConfigs { Name = c.Key, Value = c.Value, ConfigSource = 1 })]
                    : null,
            });
        }

        return ValueTask.FromResult<CreateTopicsResponse?>(response);
    }
}
