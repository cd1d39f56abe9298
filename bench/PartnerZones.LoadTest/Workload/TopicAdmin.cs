using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest.Workload;

/// <summary>Creates and removes the topic each scenario writes to, so scenarios never read each other's records.</summary>
internal static class TopicAdmin
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates <paramref name="name"/> with a replication factor of min(3, brokers), as a
    /// production topic would have; returns that factor.</summary>
    public static async Task<short> CreateAsync(string bootstrap, ClientProperties client, string name, int partitions)
    {
        using var admin = Build(bootstrap, client);
        var brokers = admin.GetMetadata(Timeout).Brokers.Count;
        var replication = (short)Math.Clamp(brokers, 1, 3);
        await admin.CreateTopicsAsync(
            [new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = replication }],
            new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }).ConfigureAwait(false);
        return replication;
    }

    /// <summary>Partitions and replication factor of an existing topic; a clear error when the target does
    /// not have it (or does not let these clients see it).</summary>
    public static (int Partitions, short Replication) Describe(string bootstrap, ClientProperties client, string name)
    {
        using var admin = Build(bootstrap, client);
        var topic = admin.GetMetadata(name, Timeout).Topics.FirstOrDefault(t => t.Topic == name);
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            var reason = topic?.Error.IsError == true ? topic.Error.Reason : "not in the metadata";
            throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart,
                $"--topic {name}: {reason}; name a topic that exists on {bootstrap} and that these credentials may write and read."));
        }

        return (topic.Partitions.Count, (short)topic.Partitions[0].Replicas.Length);
    }

    /// <summary>Best effort: a topic left behind on a shared cluster is untidy, not a failed measurement.</summary>
    public static async Task DeleteAsync(string bootstrap, ClientProperties client, string name)
    {
        try
        {
            using var admin = Build(bootstrap, client);
            await admin.DeleteTopicsAsync([name], new DeleteTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }).ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            Console.Error.WriteLine($"  could not delete topic {name}: {e.Message}");
        }
    }

    private static IAdminClient Build(string bootstrap, ClientProperties client) =>
        new AdminClientBuilder(client.ApplyTo(new AdminClientConfig { BootstrapServers = bootstrap, ClientId = "pz-loadtest-admin" }))
            .SetLogHandler((_, m) => ClientLog.Write("admin", m))
            .Build();
}
