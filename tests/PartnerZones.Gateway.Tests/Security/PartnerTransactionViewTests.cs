using PartnerZones.Testing.KafkaWire;
using Confluent.Kafka;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// ListTransactions, DescribeTransactions and DescribeProducers (KIP-664) as a partner, with a transaction
/// of the partner's own and one of the backing cluster's open side by side. Confluent.Kafka's AdminClient
/// has no call for these APIs, so they are sent as the Java AdminClient (kafka-transactions.sh) sends
/// them: the partner sees its own transaction, under its own id and alias, and never the cluster's.
/// </summary>
public sealed class PartnerTransactionViewTests : IAsyncLifetime
{
    private const string PartnerTxn = "partner-txn";
    private const string BackingTxn = "backing-txn";
    private const short TransactionalIdNotFound = 105;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private GatewayFixture _gateway = null!;
    private IProducer<string, string> _partner = null!;
    private IProducer<string, string> _backing = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFixture.StartAsync(1);
        _partner = OpenTransaction(_gateway.PartnerEndpoint.Config<ProducerConfig>(), PartnerTxn, "topic-a");
        _backing = OpenTransaction(_gateway.UpstreamEndpoint.Config<ProducerConfig>(), BackingTxn, GatewayFixture.BackingTopic);
    }

    public async Task DisposeAsync()
    {
        _partner?.Dispose();
        _backing?.Dispose();
        await _gateway.DisposeAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ListTransactions_shows_only_the_zones_own_without_the_prefix(short version)
    {
        await using var client = await PartnerAsync();
        var listed = await client.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest(), version);

        Assert.Equal(0, listed.ErrorCode);
        var own = Assert.Single(listed.TransactionStates);
        Assert.Equal(PartnerTxn, own.TransactionalId);
        Assert.True(own.ProducerId >= 0);

        if (version >= 2)
        {
            var matching = await client.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest { TransactionalIdPattern = "partner-.*" }, version);
            Assert.Equal([PartnerTxn], matching.TransactionStates.Select(t => t.TransactionalId));
            // The cluster's transaction matches this pattern upstream, but is no id of the zone's.
            var backing = await client.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest { TransactionalIdPattern = "backing-.*" }, version);
            Assert.Empty(backing.TransactionStates);
        }
    }

    [Fact]
    public async Task DescribeTransactions_shows_the_zones_own_in_alias_terms_and_never_the_clusters()
    {
        await using var client = await PartnerAsync();
        var described = await client.SendAsync<DescribeTransactionsResponse>(new DescribeTransactionsRequest { TransactionalIds = [PartnerTxn, BackingTxn] }, 0);

        Assert.Equal([PartnerTxn, BackingTxn], described.TransactionStates.Select(t => t.TransactionalId));
        var own = described.TransactionStates[0];
        Assert.Equal(0, own.ErrorCode);
        Assert.Equal("Ongoing", own.TransactionState);
        Assert.Equal([("topic-a", 1)], own.Topics.SelectMany(t => t.Partitions.Select(p => (t.Topic, p))));

        // The partner's "backing-txn" is its own, namespaced id, which has never been used; the cluster's
        // transaction of that name, open upstream, stays out of reach.
        Assert.Equal("Ongoing", (await Clients.UpstreamInspector.TransactionsAsync(_gateway))[BackingTxn]);
        Assert.Equal(TransactionalIdNotFound, described.TransactionStates[1].ErrorCode);
        Assert.Empty(described.TransactionStates[1].Topics);
    }

    [Fact]
    public async Task DescribeProducers_answers_for_aliases_and_not_for_topics_outside_the_zone()
    {
        await using var client = await PartnerAsync();
        var producerId = Assert.Single((await client.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest(), 0)).TransactionStates).ProducerId;

        var described = await client.SendAsync<DescribeProducersResponse>(new DescribeProducersRequest
        {
            Topics =
            [
                new DescribeProducersRequest.TopicRequest { Name = "topic-a", PartitionIndexes = [1] },
                new DescribeProducersRequest.TopicRequest { Name = GatewayFixture.BackingTopic, PartitionIndexes = [1] },
                new DescribeProducersRequest.TopicRequest { Name = "private-topic", PartitionIndexes = [0] },
            ],
        }, 0);

        Assert.Equal(["topic-a", GatewayFixture.BackingTopic, "private-topic"], described.Topics.Select(t => t.Name));
        var alias = Assert.Single(described.Topics[0].Partitions);
        Assert.Equal(0, alias.ErrorCode);
        Assert.Contains(alias.ActiveProducers, p => p.ProducerId == producerId && p.CurrentTxnStartOffset >= 0);
        Assert.All(described.Topics.Skip(1).SelectMany(t => t.Partitions), p =>
        {
            Assert.Equal(3, p.ErrorCode);
            Assert.Empty(p.ActiveProducers);
        });
    }

    /// <summary>A transactional producer with an open transaction holding one record on partition 1.</summary>
    private static IProducer<string, string> OpenTransaction(ProducerConfig config, string transactionalId, string topic)
    {
        config.TransactionalId = transactionalId;
        var producer = new ProducerBuilder<string, string>(config).Build();
        try
        {
            producer.InitTransactions(Timeout);
            producer.BeginTransaction();
            producer.Produce(new TopicPartition(topic, 1), new Message<string, string> { Key = "k", Value = $"open in {transactionalId}" });
            Assert.Equal(0, producer.Flush(Timeout));
            return producer;
        }
        catch
        {
            producer.Dispose();
            throw;
        }
    }

    private async Task<KafkaWireClient> PartnerAsync()
    {
        var client = await KafkaWireClient.ConnectAsync(_gateway.Gateway.BootstrapServers);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        return client;
    }
}
