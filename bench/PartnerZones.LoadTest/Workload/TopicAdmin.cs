using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace PartnerZones.LoadTest.Workload;

/// <summary>Creates and removes the topic each scenario writes to, so scenarios never read each other's records.</summary>
internal static class TopicAdmin
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates <paramref name="name"/> with a replication factor of min(3, brokers), as a
    /// production topic would have; returns that factor.</summary>
    public static async Task<short> CreateAsync(string bootstrap, string name, int partitions)
    {
        using var admin = Build(bootstrap);
        var brokers = admin.GetMetadata(Timeout).Brokers.Count;
        var replication = (short)Math.Clamp(brokers, 1, 3);
        await admin.CreateTopicsAsync(
            [new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = replication }],
            new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }).ConfigureAwait(false);
        return replication;
    }

    /// <summary>Best effort: a topic left behind on a shared cluster is untidy, not a failed measurement.</summary>
    public static async Task DeleteAsync(string bootstrap, string name)
    {
        try
        {
            using var admin = Build(bootstrap);
            await admin.DeleteTopicsAsync([name], new DeleteTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout }).ConfigureAwait(false);
        }
        catch (KafkaException e)
        {
            Console.Error.WriteLine($"  could not delete topic {name}: {e.Message}");
        }
    }

    private static IAdminClient Build(string bootstrap) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap, ClientId = "pz-loadtest-admin" })
            .SetLogHandler((_, m) => ClientLog.Write("admin", m))
            .Build();
}
