using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Error codes of the transaction APIs as each version knows them.</summary>
internal static class TransactionErrors
{
    /// <summary>PRODUCER_FENCED replaced INVALID_PRODUCER_EPOCH in the coordinator APIs (KIP-588); a client
    /// that predates it is told the old code, which it also treats as fatal.</summary>
    public static short Fenced(short error, short version, short firstVersionWithFenced) =>
        error == ErrorCodes.ProducerFenced && version < firstVersionWithFenced ? ErrorCodes.InvalidProducerEpoch : error;

    /// <summary>TRANSACTION_ABORTABLE (KIP-890) is told only to versions that know it; older ones get INVALID_TXN_STATE.</summary>
    public static short Abortable(short error, short version, short firstVersionWithAbortable) =>
        error == ErrorCodes.TransactionAbortable && version < firstVersionWithAbortable ? ErrorCodes.InvalidTxnState : error;

    public static bool IsCoordinator(RequestContext context, string transactionalId) =>
        context.Node.Cluster.Groups.CoordinatorFor(transactionalId) == context.Node.Id;
}

/// <summary>
/// Adds partitions to a transaction: v0-3 is the client form (one transaction); v4+ is the batched form
/// brokers use (KIP-890), where a transaction may ask only to verify that its partitions are already in.
/// Partitions of unknown topics fail with UNKNOWN_TOPIC_OR_PARTITION and the rest with
/// OPERATION_NOT_ATTEMPTED; otherwise the coordinator's answer goes to every partition.
/// </summary>
internal sealed class AddPartitionsToTxnHandler : ApiHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>
{
    protected override ValueTask<AddPartitionsToTxnResponse?> HandleAsync(RequestContext context, AddPartitionsToTxnRequest request, CancellationToken cancellationToken)
    {
        var response = new AddPartitionsToTxnResponse();
        if (context.Version < 4)
        {
            response.ResultsByTopicV3AndBelow = Add(context, request.V3AndBelowTransactionalId, request.V3AndBelowProducerId,
                request.V3AndBelowProducerEpoch, request.V3AndBelowTopics, verifyOnly: false);
            return ValueTask.FromResult<AddPartitionsToTxnResponse?>(response);
        }

        foreach (var transaction in request.Transactions)
        {
            response.ResultsByTransaction.Add(new AddPartitionsToTxnResponse.AddPartitionsToTxnResult
            {
                TransactionalId = transaction.TransactionalId,
                TopicResults = Add(context, transaction.TransactionalId, transaction.ProducerId, transaction.ProducerEpoch,
                    transaction.Topics, transaction.VerifyOnly),
            });
        }

        return ValueTask.FromResult<AddPartitionsToTxnResponse?>(response);
    }

    private static List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult> Add(RequestContext context, string transactionalId,
        long producerId, short epoch, List<AddPartitionsToTxnRequest.AddPartitionsToTxnTopic> topics, bool verifyOnly)
    {
        var partitions = new List<(string Topic, int Partition)>();
        foreach (var topic in topics)
        {
            foreach (var partition in topic.Partitions)
            {
                if (!partitions.Contains((topic.Name, partition)))
                {
                    partitions.Add((topic.Name, partition));
                }
            }
        }

        var state = context.Node.State;
        var unknown = partitions.Where(p => state.Find(p.Topic) is not { } t || p.Partition < 0 || p.Partition >= t.Partitions.Count).ToHashSet();
        var transactions = context.Node.Cluster.Transactions;
        var errors = new Dictionary<(string, int), short>();
        if (unknown.Count > 0)
        {
            foreach (var p in partitions)
            {
                errors[p] = unknown.Contains(p) ? ErrorCodes.UnknownTopicOrPartition : ErrorCodes.OperationNotAttempted;
            }
        }
        else if (!TransactionErrors.IsCoordinator(context, transactionalId))
        {
            partitions.ForEach(p => errors[p] = ErrorCodes.NotCoordinator);
        }
        else if (verifyOnly)
        {
            partitions.ForEach(p => errors[p] = transactions.VerifyPartition(transactionalId, producerId, epoch, p.Topic, p.Partition));
        }
        else
        {
            var error = transactions.AddPartitions(transactionalId, producerId, epoch, partitions);
            partitions.ForEach(p => errors[p] = error);
        }

        var results = new List<AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult>();
        foreach (var byTopic in partitions.GroupBy(p => p.Topic))
        {
            var result = new AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult { Name = byTopic.Key };
            foreach (var p in byTopic)
            {
                var code = TransactionErrors.Abortable(TransactionErrors.Fenced(errors[p], context.Version, 2), context.Version, 5);
                result.ResultsByPartition.Add(new AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult { PartitionIndex = p.Partition, PartitionErrorCode = code });
            }

            results.Add(result);
        }

        return results;
    }
}

/// <summary>Adds a consumer group to a transaction, so TxnOffsetCommit may stage the group's offsets in it.</summary>
internal sealed class AddOffsetsToTxnHandler : ApiHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>
{
    protected override ValueTask<AddOffsetsToTxnResponse?> HandleAsync(RequestContext context, AddOffsetsToTxnRequest request, CancellationToken cancellationToken)
    {
        var error = TransactionErrors.IsCoordinator(context, request.TransactionalId)
            ? context.Node.Cluster.Transactions.AddOffsets(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.GroupId)
            : ErrorCodes.NotCoordinator;
        return ValueTask.FromResult<AddOffsetsToTxnResponse?>(new AddOffsetsToTxnResponse { ErrorCode = TransactionErrors.Fenced(error, context.Version, 2) });
    }
}

/// <summary>Commits or aborts a transaction: markers are written to all of its partitions and, on
/// commit, its staged offsets reach their groups, before the answer.</summary>
internal sealed class EndTxnHandler : ApiHandler<EndTxnRequest, EndTxnResponse>
{
    protected override ValueTask<EndTxnResponse?> HandleAsync(RequestContext context, EndTxnRequest request, CancellationToken cancellationToken)
    {
        var error = TransactionErrors.IsCoordinator(context, request.TransactionalId)
            ? context.Node.Cluster.Transactions.EndTransaction(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.Committed)
            : ErrorCodes.NotCoordinator;
        var response = new EndTxnResponse { ErrorCode = TransactionErrors.Fenced(error, context.Version, 2) };
        if (error == ErrorCodes.None)
        {
            // v5 reports the epoch to use next; without transaction version 2 (never finalised here) it is unchanged.
            response.ProducerId = request.ProducerId;
            response.ProducerEpoch = request.ProducerEpoch;
        }

        return ValueTask.FromResult<EndTxnResponse?>(response);
    }
}

/// <summary>
/// Offset commits inside a transaction (exactly-once consume-transform-produce). Sent to the group's
/// coordinator; the group was added with AddOffsetsToTxn. From v3 the member and generation are checked
/// as a classic group checks a transactional commit. The offsets reach the group only if the
/// transaction commits.
/// </summary>
internal sealed class TxnOffsetCommitHandler : ApiHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse>
{
    protected override ValueTask<TxnOffsetCommitResponse?> HandleAsync(RequestContext context, TxnOffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Node.Cluster;
        short error;
        if (cluster.Groups.CoordinatorFor(request.GroupId) != context.Node.Id)
        {
            error = ErrorCodes.NotCoordinator;
        }
        else
        {
            error = ValidateMember(cluster.Groups, request);
            if (error == ErrorCodes.None)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var offsets = request.Topics.SelectMany(t => t.Partitions.Select(p =>
                    ((t.Name, p.PartitionIndex), new CommittedOffset(p.CommittedOffset, p.CommittedLeaderEpoch, p.CommittedMetadata, now))));
                error = cluster.Transactions.StageOffsets(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.GroupId, offsets);
            }

            // A fenced producer's commit fails where Kafka's fails, appending to the offsets log: INVALID_PRODUCER_EPOCH.
            if (error == ErrorCodes.ProducerFenced)
            {
                error = ErrorCodes.InvalidProducerEpoch;
            }

            error = TransactionErrors.Abortable(error, context.Version, 4);
        }

        var response = new TxnOffsetCommitResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic { Name = topic.Name };
            foreach (var partition in topic.Partitions)
            {
                topicResponse.Partitions.Add(new TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition { PartitionIndex = partition.PartitionIndex, ErrorCode = error });
            }

            response.Topics.Add(topicResponse);
        }

        return ValueTask.FromResult<TxnOffsetCommitResponse?>(response);
    }

    /// <summary>Kafka's check of a transactional commit against a classic group: without a generation
    /// (-1, as before v3) a commit is taken when the group is empty or the member is not named; a named
    /// member must be current, and its generation must be the group's.</summary>
    private static short ValidateMember(GroupCoordinator groups, TxnOffsetCommitRequest request)
    {
        var group = groups.Find(request.GroupId);
        if (group is null)
        {
            if (request.GenerationId != -1)
            {
                return ErrorCodes.IllegalGeneration;
            }

            return request.MemberId.Length > 0 || request.GroupInstanceId is not null ? ErrorCodes.UnknownMemberId : ErrorCodes.None;
        }

        lock (group)
        {
            if (group.Phase == GroupPhase.Dead)
            {
                return ErrorCodes.CoordinatorNotAvailable;
            }

            if (request.GenerationId < 0 && group.Phase == GroupPhase.Empty)
            {
                return ErrorCodes.None;
            }

            if (request.GenerationId < 0 && request.MemberId.Length == 0 && request.GroupInstanceId is null)
            {
                return ErrorCodes.None;
            }

            if (request.GroupInstanceId is { } instanceId)
            {
                if (group.FindByInstanceId(instanceId) is not { } member)
                {
                    return ErrorCodes.UnknownMemberId;
                }

                if (member.MemberId != request.MemberId)
                {
                    return ErrorCodes.FencedInstanceId;
                }
            }
            else if (!group.Members.ContainsKey(request.MemberId))
            {
                return ErrorCodes.UnknownMemberId;
            }

            return request.GenerationId != group.GenerationId ? ErrorCodes.IllegalGeneration : ErrorCodes.None;
        }
    }
}
