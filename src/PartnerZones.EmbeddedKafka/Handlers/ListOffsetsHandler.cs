using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Earliest (-2), latest (-1), max timestamp (-3) and by-timestamp offset lookups; v0 answers
/// with a list of offsets (see <see cref="PartitionLog.LegacyOffsetsBefore"/>), later versions with one.</summary>
internal sealed class ListOffsetsHandler : ApiHandler<ListOffsetsRequest, ListOffsetsResponse>
{
    private const long Latest = -1;
    private const long Earliest = -2;
    private const long MaxTimestamp = -3;

    protected override ValueTask<ListOffsetsResponse?> HandleAsync(RequestContext context, ListOffsetsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListOffsetsResponse();
        foreach (var wanted in request.Topics)
        {
            var topic = context.Node.State.Find(wanted.Name);
            var topicResponse = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = wanted.Name };
            foreach (var p in wanted.Partitions)
            {
                var result = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = p.PartitionIndex };
                var (partition, error) = PartitionLookup.Find(context.Node, topic, p.PartitionIndex);
                result.ErrorCode = error;
                if (error == ErrorCodes.None && context.Version == 0)
                {
                    // v0 has no isolation level (uncommitted reads) and no single offset or timestamp.
                    result.OldStyleOffsets = partition!.Log.LegacyOffsetsBefore(p.Timestamp, p.MaxNumOffsets);
                }
                else if (error == ErrorCodes.None)
                {
                    var log = partition!.Log;
                    result.LeaderEpoch = partition.LeaderEpoch;
                    switch (p.Timestamp)
                    {
                        case Latest:
                            result.Offset = request.IsolationLevel == 1 ? partition.LastStableOffset : log.LogEndOffset;
                            break;
                        case Earliest:
                            result.Offset = log.LogStartOffset;
                            break;
                        case MaxTimestamp:
                            (result.Offset, result.Timestamp) = log.MaxTimestamp() ?? (-1, -1);
                            break;
                        default:
                            result.Offset = log.OffsetForTimestamp(p.Timestamp) ?? -1;
                            result.Timestamp = result.Offset >= 0 ? p.Timestamp : -1;
                            break;
                    }

                    if (p.Timestamp is Latest or Earliest)
                    {
                        result.Timestamp = -1;
                    }
                }

                topicResponse.Partitions.Add(result);
            }

            response.Topics.Add(topicResponse);
        }

        return ValueTask.FromResult<ListOffsetsResponse?>(response);
    }
}

/// <summary>Every partition has one leader epoch (0) since there is no leader election: its end offset is the
/// log end. v0 answers the end offset alone (no epoch field); v0-1 carry no current epoch, so nothing is fenced.</summary>
internal sealed class OffsetForLeaderEpochHandler : ApiHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>
{
    protected override ValueTask<OffsetForLeaderEpochResponse?> HandleAsync(RequestContext context, OffsetForLeaderEpochRequest request, CancellationToken cancellationToken)
    {
        var response = new OffsetForLeaderEpochResponse();
        foreach (var wanted in request.Topics)
        {
            var topic = context.Node.State.Find(wanted.Topic);
            var result = new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = wanted.Topic };
            foreach (var p in wanted.Partitions)
            {
                var (partition, error) = PartitionLookup.Find(context.Node, topic, p.Partition);
                var entry = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = p.Partition, ErrorCode = error };
                if (error == ErrorCodes.None)
                {
                    if (p.CurrentLeaderEpoch > partition!.LeaderEpoch)
                    {
                        entry.ErrorCode = ErrorCodes.UnknownLeaderEpoch;
                    }
                    else if (p.LeaderEpoch > partition.LeaderEpoch)
                    {
                        // An epoch the partition never had: Kafka answers with undefined epoch and offset.
                        entry.LeaderEpoch = -1;
                        entry.EndOffset = -1;
                    }
                    else
                    {
                        entry.LeaderEpoch = partition.LeaderEpoch;
                        entry.EndOffset = partition.Log.LogEndOffset;
                    }
                }

                result.Partitions.Add(entry);
            }

            response.Topics.Add(result);
        }

        return ValueTask.FromResult<OffsetForLeaderEpochResponse?>(response);
    }
}
