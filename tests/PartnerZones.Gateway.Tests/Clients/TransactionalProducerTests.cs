using Confluent.Kafka;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// Confluent.Kafka's transactional producer as a partner through the gateway, on one upstream node and
/// on three: one transaction committed, one aborted after its records reached the brokers, and one more
/// committed after it, so a reader that got the last one has read past the aborted records.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class TransactionalProducerTests
{
    private const int PerTransaction = 30;
    private const string TransactionalId = "partner-transactions";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Committed_records_reach_a_read_committed_partner_and_aborted_ones_do_not(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);
        var config = gateway.PartnerEndpoint.Config<ProducerConfig>();
        config.TransactionalId = TransactionalId;
        config.LingerMs = 5;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            producer.InitTransactions(Timeout);
            Transaction(producer, "committed");
            producer.CommitTransaction(Timeout);

            Transaction(producer, "aborted");
            // Abort only once the records are on the brokers: an abort before would just drop them here.
            Assert.Equal(0, producer.Flush(Timeout));
            producer.AbortTransaction(Timeout);

            Transaction(producer, "after");
            producer.CommitTransaction(Timeout);
        }

        var committed = ReadAlias(gateway, IsolationLevel.ReadCommitted, "read-committed", stopAfter: "after");
        Assert.Equal(Values("committed").Concat(Values("after")).Order(StringComparer.Ordinal), committed.Order(StringComparer.Ordinal));

        // The aborted records are in the log: a read_uncommitted partner gets all three transactions.
        var uncommitted = ReadAlias(gateway, IsolationLevel.ReadUncommitted, "read-uncommitted", stopAfter: "after");
        Assert.Equal(Values("committed").Concat(Values("aborted")).Concat(Values("after")).Order(StringComparer.Ordinal), uncommitted.Order(StringComparer.Ordinal));

        // Upstream the transaction is known only under the zone's namespaced id.
        var transactions = await UpstreamInspector.TransactionsAsync(gateway);
        Assert.Equal($"pz.{GatewayFixture.ZoneName}.{TransactionalId}", Assert.Single(transactions.Keys));
        Assert.Equal("CompleteCommit", transactions.Values.Single());
    }

    /// <summary>Begins a transaction with <see cref="PerTransaction"/> records spread over every partition.</summary>
    private static void Transaction(IProducer<string, string> producer, string prefix)
    {
        producer.BeginTransaction();
        foreach (var (value, i) in Values(prefix).Select((v, i) => (v, i)))
        {
            producer.Produce(new TopicPartition(ZoneExpectations.WriteAlias, i % GatewayFixture.BackingPartitions), new Message<string, string> { Key = $"k{i}", Value = value });
        }
    }

    private static IEnumerable<string> Values(string prefix) => Enumerable.Range(0, PerTransaction).Select(i => $"{prefix}-{i}");

    /// <summary>The values a partner group reads from the read alias at the given isolation level, until it
    /// has every record of the last transaction (or the time is up).</summary>
    private static List<string> ReadAlias(GatewayFixture gateway, IsolationLevel isolation, string group, string stopAfter)
    {
        var config = gateway.PartnerEndpoint.Config<ConsumerConfig>();
        config.GroupId = group;
        config.IsolationLevel = isolation;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnableAutoCommit = false;
        config.SessionTimeoutMs = 6000;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(ZoneExpectations.ReadAlias);
        var values = new List<string>();
        var deadline = DateTime.UtcNow + Timeout;
        while (values.Count(v => v.StartsWith(stopAfter + "-", StringComparison.Ordinal)) < PerTransaction && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                Assert.Equal(ZoneExpectations.ReadAlias, result.Topic);
                values.Add(result.Message.Value);
            }
        }

        consumer.Close();
        return values;
    }
}
