using System.Globalization;
using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>The topic configs a partition log acts on, parsed once (they are read on every append).</summary>
internal sealed record LogConfig
{
    /// <summary>Kafka's index.interval.bytes: one sparse index entry per this many log bytes.</summary>
    public const int DefaultIndexIntervalBytes = 4096;

    public static readonly LogConfig Default = From(new Dictionary<string, string>());

    /// <summary>segment.bytes: the active segment rolls before it would grow past this.</summary>
    public int SegmentBytes { get; init; }

    /// <summary>segment.ms: the active segment rolls once a batch is this much newer than its first batch.</summary>
    public long SegmentMs { get; init; }

    /// <summary>retention.ms; negative keeps data forever.</summary>
    public long RetentionMs { get; init; }

    /// <summary>retention.bytes; negative means no size limit.</summary>
    public long RetentionBytes { get; init; }

    /// <summary>cleanup.policy contains "delete": retention applies.</summary>
    public bool Delete { get; init; }

    /// <summary>cleanup.policy contains "compact": older segments keep only the latest record per key.</summary>
    public bool Compact { get; init; }

    /// <summary>delete.retention.ms: how long a compacted tombstone is kept, counted from its timestamp.</summary>
    public long DeleteRetentionMs { get; init; }

    public int IndexIntervalBytes { get; init; }

    public static LogConfig From(TopicState topic) => From(topic.Configs);

    /// <summary>Reads the overrides in <paramref name="configs"/> over Kafka's defaults; a value that does
    /// not parse falls back to the default (CreateTopics does not validate configs).</summary>
    public static LogConfig From(IReadOnlyDictionary<string, string> configs)
    {
        string Value(string key) => configs.TryGetValue(key, out var v) ? v : TopicConfigDefaults.Values.GetValueOrDefault(key, "");
        long Long(string key, long fallback) => long.TryParse(Value(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;

        var policy = Value("cleanup.policy").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new LogConfig
        {
            SegmentBytes = (int)Math.Clamp(Long("segment.bytes", 1L << 30), 1, int.MaxValue),
            SegmentMs = Math.Max(1, Long("segment.ms", 604_800_000)),
            RetentionMs = Long("retention.ms", 604_800_000),
            RetentionBytes = Long("retention.bytes", -1),
            Delete = policy.Length == 0 || policy.Contains("delete", StringComparer.OrdinalIgnoreCase),
            Compact = policy.Contains("compact", StringComparer.OrdinalIgnoreCase),
            DeleteRetentionMs = Math.Max(0, Long("delete.retention.ms", 86_400_000)),
            IndexIntervalBytes = (int)Math.Clamp(Long("index.interval.bytes", DefaultIndexIntervalBytes), 1, int.MaxValue),
        };
    }
}
