using System.Text.RegularExpressions;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.EmbeddedKafka.Transactions;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>The idempotent and transactional producers a partition leader knows (KIP-664).</summary>
internal sealed class DescribeProducersHandler : ApiHandler<DescribeProducersRequest, DescribeProducersResponse>
{
    protected override ValueTask<DescribeProducersResponse?> HandleAsync(RequestContext context, DescribeProducersRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeProducersResponse();
        foreach (var t in request.Topics)
        {
            var topic = context.Node.State.Find(t.Name);
            var topicResponse = new DescribeProducersResponse.TopicResponse { Name = t.Name };
            foreach (var index in t.PartitionIndexes)
            {
                var result = new DescribeProducersResponse.PartitionResponse { PartitionIndex = index };
                var (partition, error) = PartitionLookup.Find(context.Node, topic, index);
                result.ErrorCode = error;
                if (error == ErrorCodes.None)
                {
                    List<ProducerStateTable.ProducerSnapshot> producers;
                    lock (partition!.AppendLock)
                    {
                        producers = partition.Producers.Snapshot();
                    }

                    foreach (var producer in producers.OrderBy(p => p.ProducerId))
                    {
                        result.ActiveProducers.Add(new DescribeProducersResponse.ProducerState
                        {
                            ProducerId = producer.ProducerId,
                            ProducerEpoch = producer.Epoch,
                            LastSequence = producer.LastSequence,
                            LastTimestamp = producer.LastTimestamp,
                            CoordinatorEpoch = producer.CoordinatorEpoch,
                            CurrentTxnStartOffset = producer.CurrentTransactionStartOffset,
                        });
                    }
                }

                topicResponse.Partitions.Add(result);
            }

            response.Topics.Add(topicResponse);
        }

        return ValueTask.FromResult<DescribeProducersResponse?>(response);
    }
}

/// <summary>The state of transactional ids this node coordinates (KIP-664).</summary>
internal sealed class DescribeTransactionsHandler : ApiHandler<DescribeTransactionsRequest, DescribeTransactionsResponse>
{
    protected override ValueTask<DescribeTransactionsResponse?> HandleAsync(RequestContext context, DescribeTransactionsRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeTransactionsResponse();
        foreach (var id in request.TransactionalIds)
        {
            var state = new DescribeTransactionsResponse.TransactionStateData { TransactionalId = id };
            response.TransactionStates.Add(state);
            if (id.Length == 0)
            {
                state.ErrorCode = ErrorCodes.InvalidRequest;
                continue;
            }

            if (!TransactionErrors.IsCoordinator(context, id))
            {
                state.ErrorCode = ErrorCodes.NotCoordinator;
                continue;
            }

            if (context.Node.Cluster.Transactions.Describe(id) is not { } txn || txn.Phase == TransactionPhase.Dead)
            {
                state.ErrorCode = ErrorCodes.TransactionalIdNotFound;
                continue;
            }

            state.TransactionState = txn.Phase.ToString();
            state.TransactionTimeoutMs = txn.TimeoutMs;
            state.TransactionStartTimeMs = txn.StartTimeMs;
            state.ProducerId = txn.ProducerId;
            state.ProducerEpoch = txn.ProducerEpoch;
            foreach (var byTopic in txn.Partitions.GroupBy(p => p.Topic).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                state.Topics.Add(new DescribeTransactionsResponse.TopicData { Topic = byTopic.Key, Partitions = [.. byTopic.Select(p => p.Partition).Order()] });
            }
        }

        return ValueTask.FromResult<DescribeTransactionsResponse?>(response);
    }
}

/// <summary>Transactional ids this node coordinates, filtered by state, producer id, running time (v1)
/// and an id pattern (v2). Filter names that are no state are reported back, as Kafka does.</summary>
internal sealed class ListTransactionsHandler : ApiHandler<ListTransactionsRequest, ListTransactionsResponse>
{
    protected override ValueTask<ListTransactionsResponse?> HandleAsync(RequestContext context, ListTransactionsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListTransactionsResponse();
        var states = new HashSet<TransactionPhase>();
        foreach (var name in request.StateFilters)
        {
            if (Enum.GetNames<TransactionPhase>().Contains(name, StringComparer.Ordinal))
            {
                states.Add(Enum.Parse<TransactionPhase>(name));
            }
            else
            {
                response.UnknownStateFilters.Add(name);
            }
        }

        Regex? pattern = null;
        if (request.TransactionalIdPattern is { Length: > 0 } text)
        {
            try
            {
                // Java's Matcher.matches(): the whole id must match.
                pattern = new Regex($@"\A(?:{text})\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                response.ErrorCode = ErrorCodes.InvalidRequest;
                return ValueTask.FromResult<ListTransactionsResponse?>(response);
            }
        }

        var producerIds = request.ProducerIdFilters.ToHashSet();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var txn in context.Node.Cluster.Transactions.All().OrderBy(t => t.TransactionalId, StringComparer.Ordinal))
        {
            if (!TransactionErrors.IsCoordinator(context, txn.TransactionalId)
                || txn.Phase == TransactionPhase.Dead
                || (producerIds.Count > 0 && !producerIds.Contains(txn.ProducerId))
                || (states.Count > 0 && !states.Contains(txn.Phase))
                || (request.DurationFilter >= 0 && now - txn.StartTimeMs <= request.DurationFilter)
                || (pattern is not null && !Matches(pattern, txn.TransactionalId)))
            {
                continue;
            }

            response.TransactionStates.Add(new ListTransactionsResponse.TransactionStateData
            {
                TransactionalId = txn.TransactionalId,
                ProducerId = txn.ProducerId,
                TransactionState = txn.Phase.ToString(),
            });
        }

        return ValueTask.FromResult<ListTransactionsResponse?>(response);
    }

    private static bool Matches(Regex pattern, string id)
    {
        try
        {
            return pattern.IsMatch(id);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
