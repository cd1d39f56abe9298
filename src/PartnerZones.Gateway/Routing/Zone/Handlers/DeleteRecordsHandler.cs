using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>Partners cannot delete records: the zone's aliases get TOPIC_AUTHORIZATION_FAILED, and names
/// outside the zone UNKNOWN_TOPIC_OR_PARTITION (they do not exist for the partner).</summary>
internal sealed class DeleteRecordsHandler : RefusingHandler<DeleteRecordsRequest>
{
    public override string Refusal => "the zone's aliases: TOPIC_AUTHORIZATION_FAILED; names outside the zone: UNKNOWN_TOPIC_OR_PARTITION";

    protected override IKafkaResponse Refuse(ZoneContext context, short version, DeleteRecordsRequest request) => new DeleteRecordsResponse
    {
        Topics = [.. request.Topics.Select(t => new DeleteRecordsResponse.DeleteRecordsTopicResult
        {
            Name = t.Name,
            Partitions = [.. t.Partitions.Select(p => new DeleteRecordsResponse.DeleteRecordsPartitionResult
            {
                PartitionIndex = p.PartitionIndex,
                LowWatermark = -1,
                ErrorCode = context.Alias(t.Name) is null ? ErrorCodes.UnknownTopicOrPartition : ErrorCodes.TopicAuthorizationFailed,
            })],
        })],
    };
}
