using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.State;

/// <summary>
/// Makes sure the state topic (one partition, compacted) and the audit topic exist, creating them with
/// the right configs when missing. An existing state topic that is not compacted, or has more than one
/// partition, is a start-up error: retention would silently delete zones and credentials, and several
/// partitions would lose the order that makes every instance agree.
/// </summary>
internal static class StateTopics
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task EnsureAsync(GatewaySpec spec)
    {
        var state = spec.State;
        using var admin = new AdminClientBuilder(KafkaClientSettings.Apply(new AdminClientConfig(), spec.State.Cluster ?? spec.Upstream, "partner-zones-gateway-admin")).Build();
        var metadata = admin.GetMetadata(Timeout);
        var replicas = (short)(state.ReplicationFactor ?? Math.Max(1, Math.Min(3, metadata.Brokers.Count)));
        var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, StringComparer.Ordinal);

        var wanted = new List<TopicSpecification>();
        if (existing.TryGetValue(state.Topic, out var found))
        {
            await CheckAsync(admin, state.Topic, found.Partitions.Count).ConfigureAwait(false);
        }
        else
        {
            wanted.Add(new TopicSpecification
            {
                Name = state.Topic,
                NumPartitions = 1,
                ReplicationFactor = replicas,
                Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["min.insync.replicas"] = replicas > 1 ? "2" : "1" },
            });
        }

        if (!existing.ContainsKey(state.AuditTopic))
        {
            wanted.Add(new TopicSpecification
            {
                Name = state.AuditTopic,
                NumPartitions = 1,
                ReplicationFactor = replicas,
                Configs = new Dictionary<string, string> { ["cleanup.policy"] = "delete", ["retention.ms"] = state.AuditRetentionMs.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        if (wanted.Count > 0)
        {
            try
            {
                await admin.CreateTopicsAsync(wanted, new CreateTopicsOptions { RequestTimeout = Timeout }).ConfigureAwait(false);
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                // Another gateway instance created it at the same moment: the checks below still apply.
            }
            catch (CreateTopicsException e)
            {
                throw new StateStoreException($"The gateway could not create its topics ({string.Join("; ", e.Results.Where(r => r.Error.IsError).Select(r => $"{r.Topic}: {r.Error.Reason}"))}). Give its upstream account the right to create topics, or create them: {state.Topic} with cleanup.policy=compact and 1 partition, {state.AuditTopic}.");
            }
        }
    }

    private static async Task CheckAsync(IAdminClient admin, string topic, int partitions)
    {
        if (partitions != 1)
        {
            throw new StateStoreException($"The state topic {topic} has {partitions} partitions; it must have exactly 1. Point spec.state.topic at a new name (the gateway creates it) or recreate the topic with one partition.");
        }

        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]).ConfigureAwait(false);
        var policy = described.FirstOrDefault()?.Entries.GetValueOrDefault("cleanup.policy")?.Value ?? "";
        if (!policy.Split(',').Contains("compact", StringComparer.Ordinal) || policy.Contains("delete", StringComparison.Ordinal))
        {
            throw new StateStoreException($"The state topic {topic} has cleanup.policy={policy}; it must be compact, or retention would delete zones and credentials. Set cleanup.policy=compact on it, or point spec.state.topic at a new name.");
        }
    }
}

/// <summary>The state topic cannot be used; the message says what to change.</summary>
public sealed class StateStoreException(string message, Exception? inner = null) : Exception(message, inner);
