using Confluent.Kafka;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// The example zone's two aliases, topic-a and topic-b, are one backing topic. A partner consumer that
/// subscribes to both sees each record once per alias, and each alias keeps its own committed offsets:
/// topic-a (the first alias of the backing topic) in the partner's namespaced group, topic-b in a shadow
/// group of its own (docs/gateway-security.md, "Committed offsets per alias").
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

    /// <summary>Also in front of a broker that answers OffsetFetch for a group that never committed with
    /// GROUP_ID_NOT_FOUND (other Kafka-protocol brokers do; Apache Kafka answers -1 offsets): the shadow
    /// group of topic-b does not exist until topic-b commits, and its error is not the partner's group's.</summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    public async Task One_consumer_of_both_aliases_resumes_each_alias_from_its_own_committed_position(int nodes, bool unknownGroupOffsetFetchFails)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes, cluster: o => o with { UnknownGroupOffsetFetchFails = unknownGroupOffsetFetchFails });
        const string Group = "both-aliases-resume";
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "first", Count);

        using (var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(gateway, Group)).Build())
        {
            consumer.Subscribe([ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias]);
            var first = ConsumeToEnd(consumer);
            foreach (var alias in new[] { ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias })
            {
                RecordChecks.AssertComplete([.. first.Where(r => r.Topic == alias)], "first", Count);
            }

            // One commit request carries both aliases' positions on the same backing partitions.
            var committed = consumer.Commit();
            Assert.Equal(2 * GatewayFixture.BackingPartitions, committed.Count);
            consumer.Close();
        }

        // Upstream, each alias's offsets are kept apart: topic-a's in the zone's group, topic-b's in its shadow group.
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.UpstreamGroup(Group), GatewayFixture.BackingTopic));
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(ZoneExpectations.ReadAlias, Group), GatewayFixture.BackingTopic));

        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "second", Count);
        using (var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(gateway, Group)).Build())
        {
            consumer.Subscribe([ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias]);
            var second = ConsumeToEnd(consumer);
            consumer.Close();

            // Each alias resumes exactly where it committed: only the new records, each once, none lost.
            foreach (var alias in new[] { ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias })
            {
                var values = second.Where(r => r.Topic == alias).Select(r => r.Value).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(Enumerable.Range(0, Count).Select(i => RecordChecks.Value("second", i)).Order(StringComparer.Ordinal), values);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Committing_on_one_alias_does_not_move_the_other_alias(int nodes)
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

            // topic-a reports what was committed for it; topic-b has nothing committed.
            Assert.Equal(committedA.Select(c => (c.Partition.Value, c.Offset.Value)).Order(), a.Select(c => (c.Partition.Value, c.Offset.Value)).Order());
            Assert.All(b, c => Assert.Equal(Offset.Unset, c.Offset));
            Assert.All(b, c => Assert.Equal(ZoneExpectations.ReadAlias, c.Topic));

            // So the same group, now reading topic-b, starts at the beginning and gets every record.
            consumer.Subscribe(ZoneExpectations.ReadAlias);
            var records = ConsumeToEnd(consumer, partitionsPerAlias: 1);
            RecordChecks.AssertComplete([.. records], "shared", Count);
            Assert.All(records, r => Assert.Equal(ZoneExpectations.ReadAlias, r.Topic));

            // Committing topic-b leaves topic-a where it was.
            consumer.Commit();
            var aAfter = consumer.Committed([.. partitions.Select(p => new TopicPartition(ZoneExpectations.WriteAlias, p))], Timeout);
            Assert.Equal(a.Select(c => (c.Partition.Value, c.Offset.Value)), aAfter.Select(c => (c.Partition.Value, c.Offset.Value)));
            consumer.Close();
        }

        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.UpstreamGroup(Group), GatewayFixture.BackingTopic));
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(ZoneExpectations.ReadAlias, Group), GatewayFixture.BackingTopic));
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

    /// <summary>Everything up to the end of every subscribed (alias, partition): each reports end of
    /// partition once it has delivered all it holds, so nothing still on its way is missed.</summary>
    private static List<ClientRecord> ConsumeToEnd(IConsumer<string, string> consumer, int partitionsPerAlias = 2)
    {
        var records = new List<ClientRecord>();
        var ends = new HashSet<(string, int)>();
        var expectedEnds = partitionsPerAlias * GatewayFixture.BackingPartitions;
        var deadline = DateTime.UtcNow + Timeout;
        while (ends.Count < expectedEnds && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } result)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                ends.Add((result.Topic, result.Partition.Value));
            }
            else
            {
                records.Add(new ClientRecord(result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value, result.Topic));
            }
        }

        Assert.Equal(expectedEnds, ends.Count);
        return records;
    }
}
