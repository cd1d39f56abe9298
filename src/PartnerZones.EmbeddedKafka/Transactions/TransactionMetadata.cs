using PartnerZones.EmbeddedKafka.Groups;

namespace PartnerZones.EmbeddedKafka.Transactions;

/// <summary>
/// What the transaction coordinator knows about one transactional id: the producer id and epoch it
/// handed out, the state of the current transaction, the partitions and groups in it, and the offsets
/// committed in it (visible to the group only once it commits). Guarded by the coordinator's lock.
/// </summary>
internal sealed class TransactionMetadata(string transactionalId)
{
    public const short NoEpoch = -1;

    public string TransactionalId { get; } = transactionalId;

    public long ProducerId { get; set; } = -1;

    public short ProducerEpoch { get; set; } = NoEpoch;

    /// <summary>The id and epoch before the last bump, so a retried InitProducerId whose answer was lost
    /// is recognised instead of fenced.</summary>
    public long LastProducerId { get; set; } = -1;

    public short LastProducerEpoch { get; set; } = NoEpoch;

    public int TimeoutMs { get; set; }

    public TransactionPhase Phase { get; set; } = TransactionPhase.Empty;

    public HashSet<(string Topic, int Partition)> Partitions { get; } = [];

    /// <summary>Groups added with AddOffsetsToTxn, each with the offsets TxnOffsetCommit staged for it.</summary>
    public Dictionary<string, Dictionary<(string Topic, int Partition), CommittedOffset>> Offsets { get; } = new(StringComparer.Ordinal);

    /// <summary>When the current transaction began (its first AddPartitionsToTxn or AddOffsetsToTxn), -1 when none has.</summary>
    public long StartTimeMs { get; set; } = -1;

    public long LastUpdateMs { get; set; }

    /// <summary>Kafka rotates to a new producer id before the epoch reaches short.MaxValue.</summary>
    public bool IsEpochExhausted => ProducerEpoch >= short.MaxValue - 1;

    public static bool IsExhausted(short epoch) => epoch >= short.MaxValue - 1;
}
