using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records.Legacy;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// Reads whole batches from partition logs. Honours max bytes overall and per partition (the first
/// batch is always returned so a large batch is never stuck, KIP-74), and long-polls: when fewer than
/// min bytes are available it waits, up to max wait, for an append to any requested partition.
/// Incremental fetch sessions (KIP-227) are declined with session id 0, which Kafka allows.
/// v0-3 (read uncommitted only) get the batches down-converted, as Kafka 3.x sends them: magic 0
/// for v0-1, magic 1 for v2-3; a zstd batch, which has no such form, is that partition's
/// UNSUPPORTED_COMPRESSION_TYPE.
/// </summary>
internal sealed class FetchHandler : ApiHandler<FetchRequest, FetchResponse>
{
    // Kafka 4.x rejects versions below 4; Kafka 3.x serves v0-3 by down-converting, and so do we.
    public override short LowestVersion => 0;

    protected override async ValueTask<FetchResponse?> HandleAsync(RequestContext context, FetchRequest request, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + Math.Max(0, request.MaxWaitMs);
        while (true)
        {
            var appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Wake() => appended.TrySetResult();
            var watched = new List<PartitionLog>();
            try
            {
                var (response, bytes) = Build(context, request, watched);
                foreach (var log in watched)
                {
                    log.Appended += Wake;
                }

                var remaining = deadline - Environment.TickCount64;
                if (bytes >= Math.Max(1, request.MinBytes) || remaining <= 0 || response.ErrorCode != 0 || HasErrors(response))
                {
                    return response;
                }

                // Rebuild once the wait ends: an append may have landed between Build and subscribing.
                await Task.WhenAny(appended.Task, Task.Delay(TimeSpan.FromMilliseconds(Math.Min(remaining, 500)), cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            finally
            {
                foreach (var log in watched)
                {
                    log.Appended -= Wake;
                }
            }
        }
    }

    private static bool HasErrors(FetchResponse response) =>
        response.Responses.Any(t => t.Partitions.Any(p => p.ErrorCode != ErrorCodes.None));

    private static (FetchResponse Response, int Bytes) Build(RequestContext context, FetchRequest request, List<PartitionLog> watched)
    {
        var node = context.Node;
        var byId = context.Version >= 13;
        var readCommitted = request.IsolationLevel == 1;
        var response = new FetchResponse { SessionId = 0 };
        var budget = request.MaxBytes <= 0 ? int.MaxValue : request.MaxBytes;
        var total = 0;
        foreach (var fetchTopic in request.Topics)
        {
            var topic = PartitionLookup.Topic(node, byId ? null : fetchTopic.Topic, fetchTopic.TopicId);
            var topicResponse = new FetchResponse.FetchableTopicResponse { Topic = fetchTopic.Topic, TopicId = fetchTopic.TopicId };
            foreach (var fetchPartition in fetchTopic.Partitions)
            {
                var data = new FetchResponse.PartitionData { PartitionIndex = fetchPartition.Partition, HighWatermark = -1, Records = ReadOnlyMemory<byte>.Empty };
                var (partition, error) = PartitionLookup.Find(node, topic, fetchPartition.Partition, byId);
                if (error != ErrorCodes.None)
                {
                    data.ErrorCode = error;
                    if (error == ErrorCodes.NotLeaderOrFollower && context.Version >= 12)
                    {
                        data.CurrentLeader = new FetchResponse.LeaderIdAndEpoch { LeaderId = partition!.Leader, LeaderEpoch = partition.LeaderEpoch };
                        if (context.Version >= 16 && response.NodeEndpoints.All(e => e.NodeId != partition.Leader))
                        {
                            response.NodeEndpoints.Add(new FetchResponse.NodeEndpoint
                            {
                                NodeId = partition.Leader,
                                Host = node.Options.Host,
                                Port = node.Cluster.Node(partition.Leader).EndPoint.Port,
                            });
                        }
                    }

                    topicResponse.Partitions.Add(data);
                    continue;
                }

                var log = partition!.Log;
                watched.Add(log);
                var end = log.LogEndOffset;
                var stable = partition.LastStableOffset;
                data.HighWatermark = end;
                data.LastStableOffset = stable;
                data.LogStartOffset = log.LogStartOffset;
                if (fetchPartition.FetchOffset > end || fetchPartition.FetchOffset < log.LogStartOffset)
                {
                    data.ErrorCode = ErrorCodes.OffsetOutOfRange;
                }
                else
                {
                    var limit = Math.Min(fetchPartition.PartitionMaxBytes, budget - total);
                    var upTo = readCommitted ? stable : end;
                    // The first partition with data may exceed the limits by one batch (KIP-74).
                    ReadOnlyMemory<byte> records = limit > 0 || total == 0 ? log.Read(fetchPartition.FetchOffset, Math.Max(limit, 0), upTo) : Array.Empty<byte>();
                    if (context.Version <= 3)
                    {
                        // Counted after conversion: a read of nothing but transaction markers (dropped)
                        // then long-polls like an empty one instead of answering at once, again and again.
                        records = DownConvert(records.ToArray(), context.Version, fetchPartition.FetchOffset, data);
                    }

                    data.Records = records;
                    total += records.Length;
                    if (readCommitted)
                    {
                        data.AbortedTransactions = partition.AbortedTransactionsBetween(fetchPartition.FetchOffset, upTo);
                    }
                }

                topicResponse.Partitions.Add(data);
            }

            response.Responses.Add(topicResponse);
        }

        return (response, total);
    }

    /// <summary>The records in the message format of a v0-3 fetch, or none and the partition's error
    /// when they have no such form.</summary>
    private static ReadOnlyMemory<byte> DownConvert(byte[] records, short version, long fetchOffset, FetchResponse.PartitionData data)
    {
        try
        {
            // An old consumer cannot skip inside an uncompressed batch: start at the fetch offset, as Kafka does.
            return MessageSetStart.From(LegacyMessageSets.ToMessageSet(records, magic: version <= 1 ? (byte)0 : (byte)1), fetchOffset);
        }
        catch (LegacyRecordsException e)
        {
            data.ErrorCode = e.ErrorCode;
            return ReadOnlyMemory<byte>.Empty;
        }
    }
}
