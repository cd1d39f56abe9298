namespace PartnerZones.EmbeddedKafka.Transactions;

/// <summary>The states of a transactional id, named as Kafka names them (DescribeTransactions and
/// ListTransactions report these names).</summary>
internal enum TransactionPhase
{
    /// <summary>Initialised (InitProducerId), no transaction begun.</summary>
    Empty,

    /// <summary>Partitions or a group were added; data may be in the logs.</summary>
    Ongoing,

    /// <summary>Commit decided; markers are being written.</summary>
    PrepareCommit,

    /// <summary>Abort decided; markers are being written.</summary>
    PrepareAbort,

    CompleteCommit,

    CompleteAbort,

    /// <summary>Expired; never entered here (transactional ids are not expired).</summary>
    Dead,

    /// <summary>The producer's epoch is being bumped to fence it while its transaction is aborted.</summary>
    PrepareEpochFence,
}
