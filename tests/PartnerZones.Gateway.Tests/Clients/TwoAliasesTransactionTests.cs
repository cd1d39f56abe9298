using Confluent.Kafka;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// Consume-transform-produce through the gateway with the consumed alias not the first of its backing
/// topic: a read_committed consumer of topic-b hands its positions to a transactional producer writing
/// topic-a. The offsets land in topic-b's shadow group with the transaction: committed when it commits,
/// discarded when it aborts, and never on topic-a.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class TwoAliasesTransactionTests
{
    private const int Count = 30;
    private const string Group = "txn-reader";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Offsets_of_topic_b_sent_to_a_transaction_commit_and_abort_with_it(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "in", Count);
        var partitions = Enumerable.Range(0, GatewayFixture.BackingPartitions).ToList();

        var consumerConfig = gateway.PartnerEndpoint.Config<ConsumerConfig>();
        consumerConfig.GroupId = Group;
        consumerConfig.IsolationLevel = IsolationLevel.ReadCommitted;
        consumerConfig.AutoOffsetReset = AutoOffsetReset.Earliest;
        consumerConfig.EnableAutoCommit = false;
        consumerConfig.SessionTimeoutMs = 6000;
        var producerConfig = gateway.PartnerEndpoint.Config<ProducerConfig>();
        producerConfig.TransactionalId = "two-aliases-transform";
        producerConfig.LingerMs = 5;

        using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
        using var producer = new ProducerBuilder<string, string>(producerConfig).Build();
        consumer.Subscribe(ZoneExpectations.ReadAlias);
        producer.InitTransactions(Timeout);

        // Committed with the transaction.
        Assert.Equal(Count, Read(consumer, Count));
        Transform(producer, consumer, "out");
        producer.CommitTransaction(Timeout);
        Assert.Equal(Count, Committed(consumer, ZoneExpectations.ReadAlias, partitions).Sum(c => c.Offset.Value));
        Assert.All(Committed(consumer, ZoneExpectations.WriteAlias, partitions), c => Assert.Equal(Offset.Unset, c.Offset));

        // Aborted with the transaction: topic-b's committed offsets stay where the first one left them.
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "more", Count);
        Assert.True(Read(consumer, Count) >= Count);
        Transform(producer, consumer, "aborted");
        producer.AbortTransaction(Timeout);
        Assert.Equal(Count, Committed(consumer, ZoneExpectations.ReadAlias, partitions).Sum(c => c.Offset.Value));
        consumer.Close();

        // Upstream: in topic-b's shadow group, nothing in the zone's group.
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.ShadowGroup(ZoneExpectations.ReadAlias, Group), GatewayFixture.BackingTopic));
        Assert.Equal(0, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ZoneExpectations.UpstreamGroup(Group), GatewayFixture.BackingTopic));
    }

    /// <summary>Reads until <paramref name="count"/> records arrived or the time is up; returns how many did.</summary>
    private static int Read(IConsumer<string, string> consumer, int count)
    {
        var read = 0;
        var deadline = DateTime.UtcNow + Timeout;
        while (read < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                Assert.Equal(ZoneExpectations.ReadAlias, result.Topic);
                read++;
            }
        }

        return read;
    }

    /// <summary>One transaction: a record to topic-a per partition, and the consumer's positions.</summary>
    private static void Transform(IProducer<string, string> producer, IConsumer<string, string> consumer, string prefix)
    {
        producer.BeginTransaction();
        for (var p = 0; p < GatewayFixture.BackingPartitions; p++)
        {
            producer.Produce(new TopicPartition(ZoneExpectations.WriteAlias, p), new Message<string, string> { Key = $"{prefix}-{p}", Value = prefix });
        }

        var positions = consumer.Assignment.Select(tp => new TopicPartitionOffset(tp, consumer.Position(tp))).ToList();
        Assert.Equal(GatewayFixture.BackingPartitions, positions.Count);
        producer.SendOffsetsToTransaction(positions, consumer.ConsumerGroupMetadata, Timeout);
    }

    private static List<TopicPartitionOffset> Committed(IConsumer<string, string> consumer, string alias, List<int> partitions) =>
        consumer.Committed([.. partitions.Select(p => new TopicPartition(alias, p))], Timeout);
}
