using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// Moves partitions' log start offsets forward (kafka-delete-records): offset -1 means the high watermark,
/// an offset past it or below -1 is OFFSET_OUT_OF_RANGE, a topic whose cleanup.policy lacks "delete" is
/// refused with POLICY_VIOLATION, as Kafka does. The answer's low watermark is the new log start offset.
/// </summary>
internal sealed class DeleteRecordsHandler : ApiHandler<DeleteRecordsRequest, DeleteRecordsResponse>
{
    private const long HighWatermark = -1;

    // POLICY_VIOLATION (44) from the protocol specification.
    private const short PolicyViolation = 44;

    protected override ValueTask<DeleteRecordsResponse?> HandleAsync(RequestContext context, DeleteRecordsRequest request, CancellationToken cancellationToken)
    {
        var response = new DeleteRecordsResponse();
        foreach (var wanted in request.Topics)
        {
            var topic = context.Node.State.Find(wanted.Name);
            var result = new DeleteRecordsResponse.DeleteRecordsTopicResult { Name = wanted.Name };
            foreach (var p in wanted.Partitions)
            {
                var entry = new DeleteRecordsResponse.DeleteRecordsPartitionResult { PartitionIndex = p.PartitionIndex, LowWatermark = -1 };
                var (partition, error) = PartitionLookup.Find(context.Node, topic, p.PartitionIndex);
                if (error == ErrorCodes.None)
                {
                    var log = partition!.Log;
                    var end = log.LogEndOffset;
                    var target = p.Offset == HighWatermark ? end : p.Offset;
                    if (!log.Config.Delete)
                    {
                        error = PolicyViolation;
                    }
                    else if (target < 0 || target > end)
                    {
                        error = ErrorCodes.OffsetOutOfRange;
                    }
                    else
                    {
                        entry.LowWatermark = log.DeleteBefore(target);
                    }
                }

                entry.ErrorCode = error;
                result.Partitions.Add(entry);
            }

            response.Topics.Add(result);
        }

        return ValueTask.FromResult<DeleteRecordsResponse?>(response);
    }
}
