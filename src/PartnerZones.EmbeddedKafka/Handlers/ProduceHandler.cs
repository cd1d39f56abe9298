using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using PartnerZones.Protocol.Records.Legacy;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// Validates and appends record batches: magic 2 (v0-2 may send magic 0/1 message sets, which are
/// up-converted first, as Kafka 3.x does), CRC-32C checked, size against max.message.bytes,
/// idempotent sequences checked, offsets assigned, LogAppendTime applied when the topic asks for it.
/// A transaction's first batch in a partition must come from the transaction's current producer and
/// belong to a partition added to its ongoing transaction (Kafka's verification, KIP-890).
/// </summary>
internal sealed class ProduceHandler : ApiHandler<ProduceRequest, ProduceResponse>
{
    // Kafka 4.x rejects versions below 3; Kafka 3.x serves v0-2 by up-converting their message sets, and so do we.
    public override short LowestVersion => 0;

    protected override ValueTask<ProduceResponse?> HandleAsync(RequestContext context, ProduceRequest request, CancellationToken cancellationToken)
    {
        var node = context.Node;
        var response = new ProduceResponse();
        var byId = context.Version >= 13;
        foreach (var topicData in request.TopicData)
        {
            var topic = PartitionLookup.Topic(node, byId ? null : topicData.Name, topicData.TopicId);
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topicData.Name, TopicId = topicData.TopicId };
            foreach (var partitionData in topicData.PartitionData)
            {
                var result = new ProduceResponse.PartitionProduceResponse { Index = partitionData.Index, BaseOffset = -1 };
                var (partition, error) = PartitionLookup.Find(node, topic, partitionData.Index, byId);
                if (error == ErrorCodes.None)
                {
                    Append(context, partition!, partitionData.Records, request.TransactionalId, result);
                    if (request.Acks == -1)
                    {
                        // With a data directory, acks=-1 is answered once the batches are durable (flush policy).
                        partition!.Log.EnsureDurable();
                    }
                }
                else
                {
                    result.ErrorCode = error;
                    if (error == ErrorCodes.NotLeaderOrFollower && context.Version >= 10)
                    {
                        result.CurrentLeader = new ProduceResponse.LeaderIdAndEpoch { LeaderId = partition!.Leader, LeaderEpoch = partition.LeaderEpoch };
                        AddEndpoint(context, response, partition.Leader);
                    }
                }

                topicResponse.PartitionResponses.Add(result);
            }

            response.Responses.Add(topicResponse);
        }

        // acks=0: the client expects no response at all.
        return ValueTask.FromResult(request.Acks == 0 ? null : response);
    }

    private static void AddEndpoint(RequestContext context, ProduceResponse response, int nodeId)
    {
        if (response.NodeEndpoints.Any(e => e.NodeId == nodeId))
        {
            return;
        }

        var cluster = context.Node.Cluster;
        response.NodeEndpoints.Add(new ProduceResponse.NodeEndpoint { NodeId = nodeId, Host = cluster.Options.Host, Port = cluster.Node(nodeId).EndPoint.Port });
    }

    private static void Append(RequestContext context, PartitionState partition, ReadOnlyMemory<byte>? records, string? transactionalId,
        ProduceResponse.PartitionProduceResponse result)
    {
        var maxMessageBytes = int.Parse(TopicConfigDefaults.Effective(partition.Topic, "max.message.bytes"), System.Globalization.CultureInfo.InvariantCulture);
        var logAppendTime = TopicConfigDefaults.Effective(partition.Topic, "message.timestamp.type") == "LogAppendTime";
        if (records is not { Length: > 0 } data)
        {
            result.ErrorCode = ErrorCodes.InvalidRecord;
            result.ErrorMessage = "The produce request has no record batches for this partition.";
            return;
        }

        // v0-2 carry magic 0/1 message sets (Kafka does not hold them to the version: a v2 request
        // with magic 2 batches is appended as it is). From v3 on only record batches are allowed.
        var magic = LegacyMessageSets.MagicOf(data.Span);
        if (magic is 0 or 1)
        {
            if (context.Version >= 3)
            {
                result.ErrorCode = ErrorCodes.InvalidRecord;
                result.ErrorMessage = $"Produce v{context.Version} carries record batches (magic 2); a magic {magic} message set needs Produce v0-2.";
                return;
            }

            try
            {
                data = LegacyMessageSets.ToRecordBatches(data.Span);
            }
            catch (LegacyRecordsException e)
            {
                result.ErrorCode = e.ErrorCode;
                result.ErrorMessage = e.Message;
                return;
            }
        }

        // Validate every batch before appending any, so a request is all-or-nothing per partition.
        var batches = new List<ReadOnlyMemory<byte>>();
        var enumerator = RecordSet.Batches(data);
        while (enumerator.MoveNext())
        {
            var header = enumerator.Current;
            if (header.Magic != 2)
            {
                result.ErrorCode = ErrorCodes.InvalidRecord;
                result.ErrorMessage = $"Record batch magic {header.Magic} is not supported; only message format v2 is.";
                return;
            }

            if (!header.Validate())
            {
                result.ErrorCode = ErrorCodes.CorruptMessage;
                result.ErrorMessage = "Record batch CRC-32C does not match its contents.";
                return;
            }

            if (header.TotalSize > maxMessageBytes)
            {
                result.ErrorCode = ErrorCodes.MessageTooLarge;
                result.ErrorMessage = $"Record batch of {header.TotalSize} bytes is larger than max.message.bytes ({maxMessageBytes}).";
                return;
            }

            if (header.RecordCount <= 0 || header.LastOffsetDelta != header.RecordCount - 1)
            {
                result.ErrorCode = ErrorCodes.InvalidRecord;
                result.ErrorMessage = $"Record batch claims {header.RecordCount} records with last offset delta {header.LastOffsetDelta}.";
                return;
            }

            if (header.IsTransactional && transactionalId is null)
            {
                result.ErrorCode = ErrorCodes.InvalidRecord;
                result.ErrorMessage = "A transactional batch needs the producer's transactional id.";
                return;
            }

            if (header.IsTransactional && header.ProducerId < 0)
            {
                result.ErrorCode = ErrorCodes.InvalidRecord;
                result.ErrorMessage = "A transactional batch needs a producer id.";
                return;
            }

            // Transaction markers are written by the transaction coordinator only.
            if (header.IsControl)
            {
                result.ErrorCode = ErrorCodes.InvalidRecord;
                result.ErrorMessage = "Clients may not write control batches.";
                return;
            }

            batches.Add(enumerator.CurrentMemory);
        }

        if (enumerator.HasPartialTail || batches.Count == 0)
        {
            result.ErrorCode = ErrorCodes.CorruptMessage;
            result.ErrorMessage = "The record set ends inside a batch.";
            return;
        }

        lock (partition.AppendLock)
        {
            long? firstOffset = null;
            var appendTime = logAppendTime ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : -1;
            foreach (var batch in batches)
            {
                var header = RecordBatchHeader.Read(batch.Span);
                var check = partition.Producers.Validate(header.ProducerId, header.ProducerEpoch, header.BaseSequence, header.LastOffsetDelta, header.IsTransactional);
                if (check.ErrorCode != ErrorCodes.None)
                {
                    result.ErrorCode = check.ErrorCode;
                    return;
                }

                if (check.DuplicateOffset is { } duplicate)
                {
                    firstOffset ??= duplicate;
                    continue;
                }

                if (header.IsTransactional && !partition.Producers.HasOngoingTransaction(header.ProducerId))
                {
                    var verified = VerifyTransaction(context, partition, transactionalId!, header.ProducerId, header.ProducerEpoch);
                    if (verified != ErrorCodes.None)
                    {
                        result.ErrorCode = verified;
                        return;
                    }
                }

                var copy = batch.ToArray();
                RecordBatchPatcher.SetPartitionLeaderEpoch(copy, partition.LeaderEpoch);
                if (logAppendTime)
                {
                    RecordBatchPatcher.SetLogAppendTime(copy, appendTime);
                }

                var baseOffset = partition.Log.Append(copy);
                partition.Producers.Record(header.ProducerId, header.ProducerEpoch, header.BaseSequence, header.LastOffsetDelta, baseOffset,
                    logAppendTime ? appendTime : header.MaxTimestamp, header.IsTransactional);
                firstOffset ??= baseOffset;
            }

            result.BaseOffset = firstOffset ?? -1;
            result.LogAppendTimeMs = appendTime;
            result.LogStartOffset = partition.Log.LogStartOffset;
        }
    }

    /// <summary>Asks the transaction coordinator whether this partition is in the producer's ongoing
    /// transaction, and turns its answer into what a producer of this version understands: a fenced
    /// producer gets INVALID_PRODUCER_EPOCH, a partition outside the transaction TRANSACTION_ABORTABLE
    /// (v11+) or INVALID_TXN_STATE, and a transaction being ended a retriable NOT_ENOUGH_REPLICAS.</summary>
    private static short VerifyTransaction(RequestContext context, PartitionState partition, string transactionalId, long producerId, short epoch)
    {
        var error = context.Node.Cluster.Transactions.VerifyPartition(transactionalId, producerId, epoch, partition.Topic.Name, partition.Index);
        return error switch
        {
            ErrorCodes.ProducerFenced => ErrorCodes.InvalidProducerEpoch,
            ErrorCodes.ConcurrentTransactions => ErrorCodes.NotEnoughReplicas,
            _ => TransactionErrors.Abortable(error, context.Version, 11),
        };
    }
}
