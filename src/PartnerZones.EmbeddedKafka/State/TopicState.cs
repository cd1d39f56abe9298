namespace PartnerZones.EmbeddedKafka.State;

/// <summary>One topic: its id, partitions and configuration overrides.</summary>
internal sealed class TopicState(string name, Guid id, IReadOnlyDictionary<string, string> configs)
{
    public string Name { get; } = name;

    public Guid Id { get; } = id;

    public IReadOnlyDictionary<string, string> Configs { get; } = configs;

    public List<PartitionState> Partitions { get; } = [];

    public bool IsInternal => Name.StartsWith("__", StringComparison.Ordinal);
}

/// <summary>One partition: its leader node, replicas and log. There is no replication: every replica
/// listed is reported in sync, and the leader's log is the partition's log. A loaded partition comes with
/// its log and the producer state rebuilt from it.</summary>
internal sealed class PartitionState(
    TopicState topic, int index, int leader, int[] replicas, PartitionLog? log = null, ProducerStateTable? producers = null)
{
    public TopicState Topic { get; } = topic;

    public int Index { get; } = index;

    public int Leader { get; } = leader;

    public int[] Replicas { get; } = replicas;

    public int LeaderEpoch { get; } = 0;

    public PartitionLog Log { get; } = log ?? new();

    public ProducerStateTable Producers { get; } = producers ?? new();

    /// <summary>The offset below which every transaction is decided: the first offset of the earliest
    /// ongoing transaction, or the log end. read_committed consumers stop here.</summary>
    public long LastStableOffset
    {
        get
        {
            lock (AppendLock)
            {
                return Producers.FirstUnstableOffset ?? Log.LogEndOffset;
            }
        }
    }

    /// <summary>Transactions aborted that overlap [from, to), for read_committed fetches: the client drops
    /// each one's records from its first offset up to its abort marker.</summary>
    public List<Protocol.Messages.FetchResponse.AbortedTransaction> AbortedTransactionsBetween(long from, long to)
    {
        List<ProducerStateTable.AbortedTransaction> aborted;
        lock (AppendLock)
        {
            aborted = Producers.AbortedBetween(from, to);
        }

        var result = new List<Protocol.Messages.FetchResponse.AbortedTransaction>(aborted.Count);
        foreach (var transaction in aborted)
        {
            result.Add(new Protocol.Messages.FetchResponse.AbortedTransaction { ProducerId = transaction.ProducerId, FirstOffset = transaction.FirstOffset });
        }

        return result;
    }

    /// <summary>Held while a produce request validates and appends, so sequence checks and appends of one
    /// partition never interleave.</summary>
    public object AppendLock { get; } = new();
}
