using Confluent.Kafka;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// The example zone's two aliases, topic-a and topic-b, are one backing topic. A partner consumer that
/// subscribes to both sees each record once per alias. Committed offsets, though, are stored upstream
/// per backing partition, so both aliases share them: this is the open design question of aliasing one
/// topic twice, and the second test pins down today's behaviour so that a change to it is noticed.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class TwoAliasesConsumerTests
{
    private const int Count = 60;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_consumer_of_both_aliases_gets_every_record_once_per_alias_under_that_alias(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "shared", Count);

        using var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(gateway, "both-aliases")).Build();
        consumer.Subscribe([ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias]);
        var records = Consume(consumer, 2 * Count);
        consumer.Close();

        Assert.Equal([ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias], records.Select(r => r.Topic).Distinct().Order(StringComparer.Ordinal));
        foreach (var alias in records.GroupBy(r => r.Topic))
        {
            // Each alias on its own: every record once, every partition from offset 0 without gaps.
            RecordChecks.AssertComplete([.. alias], "shared", Count);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Offsets_committed_for_one_alias_are_the_other_aliases_offsets_too(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "shared", Count);
        const string Group = "one-alias-at-a-time";

        // The group reads and commits topic-a only.
        List<TopicPartitionOffset> committedA;
        using (var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(gateway, Group)).Build())
        {
            consumer.Subscribe(ZoneExpectations.WriteAlias);
            var records = Consume(consumer, Count);
            Assert.Equal(Count, records.Count);
            committedA = consumer.Commit();
            consumer.Close();
        }

        Assert.Equal(Count, committedA.Sum(c => c.Offset.Value));
        Assert.All(committedA, c => Assert.Equal(ZoneExpectations.WriteAlias, c.Topic));

        using (var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(gateway, Group)).Build())
        {
            var partitions = Enumerable.Range(0, GatewayFixture.BackingPartitions).ToList();
            var a = consumer.Committed([.. partitions.Select(p => new TopicPartition(ZoneExpectations.WriteAlias, p))], Timeout);
            var b = consumer.Committed([.. partitions.Select(p => new TopicPartition(ZoneExpectations.ReadAlias, p))], Timeout);

            // Independent aliases would leave topic-b with no committed offsets (Offset.Unset). Instead
            // topic-b reports exactly topic-a's offsets: one upstream group, one backing topic.
            Assert.Equal(a.Select(c => (c.Partition.Value, c.Offset.Value)), b.Select(c => (c.Partition.Value, c.Offset.Value)));
            Assert.All(b, c => Assert.Equal(ZoneExpectations.ReadAlias, c.Topic));

            // So the same group, now reading topic-b, resumes where topic-a stopped and never gets the
            // records it has not read under topic-b.
            consumer.Subscribe(ZoneExpectations.ReadAlias);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            var eof = new HashSet<int>();
            var skipped = new List<ConsumeResult<string, string>>();
            while (eof.Count < GatewayFixture.BackingPartitions && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    if (result.IsPartitionEOF)
                    {
                        eof.Add(result.Partition.Value);
                    }
                    else
                    {
                        skipped.Add(result);
                    }
                }
            }

            Assert.Equal(GatewayFixture.BackingPartitions, eof.Count);
            Assert.Empty(skipped);
            consumer.Close();
        }

        // Upstream there is one group and one set of offsets, on the backing topic.
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.UpstreamGroup(Group), GatewayFixture.BackingTopic));
    }

    private static ConsumerConfig ConsumerConfig(GatewayFixture gateway, string group)
    {
        var config = gateway.PartnerEndpoint.Config<ConsumerConfig>();
        config.GroupId = group;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        config.EnablePartitionEof = true;
        config.SessionTimeoutMs = 6000;
        return config;
    }

    private static List<ClientRecord> Consume(IConsumer<string, string> consumer, int count)
    {
        var records = new List<ClientRecord>();
        var deadline = DateTime.UtcNow + Timeout;
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                records.Add(new ClientRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value, result.Topic));
            }
        }

        return records;
    }
}
