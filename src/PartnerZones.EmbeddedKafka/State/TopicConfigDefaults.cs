namespace PartnerZones.EmbeddedKafka.State;

/// <summary>The topic configs the embedded cluster knows, with Kafka's defaults. DescribeConfigs lists
/// these; overrides given at creation replace the defaults.</summary>
internal static class TopicConfigDefaults
{
    public static readonly IReadOnlyDictionary<string, string> Values = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = "delete",
        ["compression.type"] = "producer",
        ["delete.retention.ms"] = "86400000",
        ["max.message.bytes"] = "1048588",
        ["message.timestamp.type"] = "CreateTime",
        ["min.insync.replicas"] = "1",
        ["retention.bytes"] = "-1",
        ["retention.ms"] = "604800000",
        ["segment.bytes"] = "1073741824",
        ["segment.ms"] = "604800000",
    };

    /// <summary>Broker-level settings reported for broker resources.</summary>
    public static readonly IReadOnlyDictionary<string, string> Broker = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["auto.create.topics.enable"] = "false",
        ["log.retention.hours"] = "168",
        ["message.max.bytes"] = "1048588",
        ["num.partitions"] = "1",
        ["offsets.topic.replication.factor"] = "1",
    };

    public static string Effective(TopicState topic, string key) =>
        topic.Configs.TryGetValue(key, out var value) ? value : Values.GetValueOrDefault(key, "");
}
