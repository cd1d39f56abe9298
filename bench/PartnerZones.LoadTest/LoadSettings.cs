using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest;

/// <summary>One run: the same workload against every target, once per acks setting.</summary>
public sealed record LoadSettings
{
    public required IReadOnlyList<TargetSpec> Targets { get; init; }

    /// <summary>True for --compare: the second target's figures are divided by the first's.</summary>
    public bool Compare { get; init; }

    public required IReadOnlyList<Acks> Acks { get; init; }

    /// <summary>Records produced (and then consumed) per scenario, at most.</summary>
    public int Records { get; init; } = 1_000_000;

    /// <summary>Bytes of each record's value; keys are null.</summary>
    public int RecordSize { get; init; } = 1024;

    /// <summary>Time limit of each phase (produce, consume) of each scenario.</summary>
    public TimeSpan PhaseLimit { get; init; } = TimeSpan.FromSeconds(60);

    public int Partitions { get; init; } = 6;

    /// <summary>Records per second the producer is held to; 0 sends as fast as the client accepts.</summary>
    public int Rate { get; init; }

    public int LingerMs { get; init; } = 5;

    /// <summary>The producer's batch.size; null keeps librdkafka's default (about 1 MB).</summary>
    public int? BatchSize { get; init; }

    /// <summary>The consumer's fetch.queue.backoff.ms. librdkafka's default of 1000 ms idles every fetcher for
    /// a whole second whenever its prefetch queue is full, which with three brokers measured the client's
    /// back-off instead of the cluster (consume fell to about a quarter); 10 ms keeps the cluster the
    /// bottleneck.</summary>
    public int FetchQueueBackoffMs { get; init; } = 10;

    /// <summary>Runs of each (acks, target) scenario; the report gives the median of each figure.</summary>
    public int Repeat { get; init; } = 3;

    /// <summary>Records produced and consumed on each target before measuring, to warm JIT and connections.</summary>
    public int WarmupRecords { get; init; } = 50_000;

    public string TopicPrefix { get; init; } = "pz-load";

    /// <summary>Login and other client settings for --bootstrap and the second --compare target.</summary>
    public ClientProperties Client { get; init; } = ClientProperties.None;

    /// <summary>--topic: write to and read back this existing topic of --bootstrap or the second --compare target
    /// instead of creating one per scenario.</summary>
    public string? ExistingTopic { get; init; }

    /// <summary>How long a producer may keep flushing after its send loop stopped; also bounds how late a
    /// delivery report may arrive before the record counts as undelivered.</summary>
    public static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(30);
}
