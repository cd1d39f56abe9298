using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using static PartnerZones.CaptureGoldens.GoldenWorkload;

namespace PartnerZones.CaptureGoldens;

/// <summary>
/// Confluent.Kafka in this process (its bundled librdkafka, newer than Debian's): an admin client
/// creating the topic, a producer, and a group consumer that commits, checks its commit and leaves.
/// Every client is disposed before the next scenario, so no background request crosses scenarios.
/// </summary>
internal sealed class ConfluentScenarios(string bootstrap, FrameRecorder recorder, ScenarioLog log)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task RunAsync()
    {
        await recorder.RecordAsync(DotnetClient, "admin", CreateTopicAsync).ConfigureAwait(false);
        log.Add(DotnetClient, "admin", $"AdminClient.CreateTopicsAsync: `{DotnetTopic}` with {DotnetPartitions} partitions, replication factor 1");

        await recorder.RecordAsync(DotnetClient, "produce", ProduceAsync).ConfigureAwait(false);
        log.Add(DotnetClient, "produce",
            $"Producer<string, string> (acks all, linger.ms 200): {DotnetRecords.Count} records to explicit partitions of `{DotnetTopic}`, each with header `{DotnetHeaderKey}: {DotnetHeaderValue}`");

        await recorder.RecordAsync(DotnetClient, "group", () => Task.Run(ConsumeInGroup)).ConfigureAwait(false);
        log.Add(DotnetClient, "group",
            $"Consumer<string, string> in group `{DotnetGroup}` (auto-commit off, heartbeat 200 ms): reads every record, Commit(), Committed(), polls 2 s more, Close()");
    }

    private async Task CreateTopicAsync()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap, ClientId = DotnetClientId }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = DotnetTopic, NumPartitions = DotnetPartitions, ReplicationFactor = 1 }])
            .WaitAsync(Timeout).ConfigureAwait(false);
    }

    private async Task ProduceAsync()
    {
        var config = new ProducerConfig { BootstrapServers = bootstrap, ClientId = DotnetClientId, Acks = Acks.All, LingerMs = 200 };
        using var producer = new ProducerBuilder<string, string>(config).Build();
        var deliveries = DotnetRecords.Select(r => producer.ProduceAsync(
            new TopicPartition(DotnetTopic, r.Partition),
            new Message<string, string>
            {
                Key = r.Key,
                Value = r.Value,
                Headers = new Headers { { DotnetHeaderKey, Encoding.UTF8.GetBytes(DotnetHeaderValue) } },
            }));
        var results = await Task.WhenAll(deliveries).WaitAsync(Timeout).ConfigureAwait(false);
        if (results.Any(r => r.Status != PersistenceStatus.Persisted))
        {
            throw new InvalidOperationException("Confluent.Kafka reported records that were not persisted.");
        }
    }

    private void ConsumeInGroup()
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            ClientId = DotnetClientId,
            GroupId = DotnetGroup,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 200,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(DotnetTopic);

        var received = new List<string>();
        var deadline = DateTime.UtcNow + Timeout;
        while (received.Count < DotnetRecords.Count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                received.Add(result.Message.Value);
            }
        }

        var expected = DotnetRecords.Select(r => r.Value).Order().ToList();
        if (!received.Order().SequenceEqual(expected))
        {
            throw new InvalidOperationException($"The group consumer read [{string.Join(", ", received)}], expected [{string.Join(", ", expected)}].");
        }

        consumer.Commit();
        var committed = consumer.Committed(TimeSpan.FromSeconds(10));
        if (committed.Sum(c => c.Offset.Value) != DotnetRecords.Count)
        {
            throw new InvalidOperationException($"Committed offsets are [{string.Join(", ", committed)}], expected {DotnetRecords.Count} in total.");
        }

        // Long enough for several heartbeats at 200 ms, so Heartbeat frames are captured too.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < until)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        consumer.Close();
    }
}
