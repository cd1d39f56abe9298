using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.EmbeddedKafka.Storage;

namespace PartnerZones.EmbeddedKafka;

/// <summary>How an embedded cluster is laid out. Node i listens on <see cref="BasePort"/> + i.</summary>
public sealed record ClusterOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port of node 0; 0 picks free ports for every node (tests).</summary>
    public int BasePort { get; init; }

    public int Nodes { get; init; } = 1;

    public int DefaultPartitions { get; init; } = 1;

    public bool AutoCreateTopics { get; init; }

    public string ClusterId { get; init; } = "pz-embedded-cluster";

    /// <summary>How long a group that starts empty waits for more members before its first generation
    /// (Kafka's group.initial.rebalance.delay.ms, 3 s there; shorter here so local runs start quickly).</summary>
    public int InitialRebalanceDelayMs { get; init; } = 300;

    /// <summary>Called with every request frame (header and body, no size prefix) and the response frame
    /// sent for it (null for acks=0 produce), on the connection's task. For captures and diagnostics; with SASL
    /// on, SaslAuthenticate frames carry credentials (raw tokens after a v0 handshake are not observed).</summary>
    public Action<int, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?>? FrameObserver { get; init; }

    /// <summary>
    /// Whether ConsumerGroupHeartbeat and ConsumerGroupDescribe (the KIP-848 consumer group protocol) are served
    /// and advertised, as Kafka's group.coordinator.rebalance.protocols including "consumer". Null follows the
    /// <see cref="ApiGeneration"/>'s release: off for Kafka 3.9 (the protocol was a preview there, off unless
    /// configured), on for Kafka 4.0 (generally available and on by default).
    /// </summary>
    public bool? ConsumerGroupProtocol { get; init; }

    /// <summary>Whether the consumer group protocol is served, <see cref="ConsumerGroupProtocol"/> resolved.</summary>
    public bool ServesConsumerGroupProtocol => ConsumerGroupProtocol ?? ApiGeneration == KafkaApiGeneration.Kafka40;

    /// <summary>How long a member of a consumer-protocol group (KIP-848) may stay silent before it is removed
    /// (Kafka's group.consumer.session.timeout.ms).</summary>
    public int ConsumerGroupSessionTimeoutMs { get; init; } = 45_000;

    /// <summary>How often members of a consumer-protocol group are told to heartbeat (Kafka's
    /// group.consumer.heartbeat.interval.ms).</summary>
    public int ConsumerGroupHeartbeatIntervalMs { get; init; } = 5_000;

    /// <summary>Longest transaction timeout a producer may ask for (Kafka's transaction.max.timeout.ms).</summary>
    public int TransactionMaxTimeoutMs { get; init; } = 900_000;

    /// <summary>How often ongoing transactions are checked against their timeout (Kafka's
    /// transaction.abort.timed.out.transaction.cleanup.interval.ms, 10 s there; shorter here so a timed-out
    /// transaction is aborted promptly in local runs).</summary>
    public int TransactionTimeoutCheckIntervalMs { get; init; } = 1_000;

    /// <summary>Largest request accepted, as a broker's socket.request.max.bytes.</summary>
    public int MaxRequestSize { get; init; } = 100 * 1024 * 1024;

    /// <summary>Accounts for SASL authentication. Empty: every listener is PLAINTEXT. Any user: every
    /// listener is SASL_PLAINTEXT, offering the mechanisms these users have.</summary>
    public IReadOnlyList<SaslUser> SaslUsers { get; init; } = [];

    /// <summary>Directory the cluster keeps its data in, so it survives restarts; null keeps everything in memory.</summary>
    public string? DataDir { get; init; }

    /// <summary>
    /// Answer OffsetFetch for a group that does not exist with GROUP_ID_NOT_FOUND, as some Kafka-protocol
    /// brokers other than Apache Kafka do (Kafka answers offset -1 and no error). Off by default; it lets
    /// tests prove that clients and the gateway work in front of that dialect.
    /// </summary>
    public bool UnknownGroupOffsetFetchFails { get; init; }

    /// <summary>Which Kafka release's lowest API versions every node advertises and accepts: Kafka 3.9's
    /// (v0 of every client API) by default, or Kafka 4.0.0's (KIP-896) to stand in for an upstream that no
    /// longer serves old versions. The highest versions are the same for both.</summary>
    public KafkaApiGeneration ApiGeneration { get; init; } = KafkaApiGeneration.Kafka39;

    /// <summary>When data in <see cref="DataDir"/> is fsynced. The default answers acks=-1 only once the
    /// batches are on stable storage. Writes reach the operating system at once under every policy.</summary>
    public FlushPolicy FlushPolicy { get; init; } = FlushPolicy.BeforeAcksAll;

    /// <summary>Period of the fsync timer for data the policy has not flushed yet (acks=0/1 batches, committed
    /// offsets); 0 turns it off (data is then fsynced only at segment roll and shutdown).</summary>
    public int FlushIntervalMs { get; init; } = 1000;

    /// <summary>Period of the log cleaner (retention.ms, retention.bytes, compaction), as Kafka's
    /// log.retention.check.interval.ms; 0 turns it off.</summary>
    public int LogCleanupIntervalMs { get; init; } = 30_000;
}
