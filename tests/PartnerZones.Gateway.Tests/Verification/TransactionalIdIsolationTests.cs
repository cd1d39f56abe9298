using Confluent.Kafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// Transactional ids of the backing cluster and of another zone cannot be reached. Kafka fences the
/// older producer when a new one initialises the same transactional id, so if the gateway forwarded a
/// partner's id unchanged, a partner naming another producer's id would fence it and abort its open
/// transaction. Producers inside the backing cluster — one with a plain id, one with another zone's
/// namespaced id — keep a transaction open while the partner initialises and commits transactions under
/// those same ids; theirs must still commit, with every record.
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class TransactionalIdIsolationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_partner_using_an_upstream_or_other_zone_transactional_id_fences_nobody(int nodes)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(nodes, autoCreateTopics: false, createBackingTopic: true);
        string[] ids = ["upstream-transactions", $"pz.{TwoZoneGateway.OtherZone}.transactions"];

        var insiders = new List<IProducer<string, string>>();
        try
        {
            foreach (var id in ids)
            {
                var config = gateway.Upstream.Config<ProducerConfig>();
                config.TransactionalId = id;
                var insider = new ProducerBuilder<string, string>(config).Build();
                insiders.Add(insider);
                insider.InitTransactions(Timeout);
                insider.BeginTransaction();
                await insider.ProduceAsync(GatewayFixture.BackingTopic, new Message<string, string> { Key = id, Value = $"insider-{id}" });
            }

            foreach (var id in ids)
            {
                var config = gateway.Partner.Config<ProducerConfig>();
                config.TransactionalId = id;
                using var partner = new ProducerBuilder<string, string>(config).Build();
                partner.InitTransactions(Timeout);
                partner.BeginTransaction();
                await partner.ProduceAsync("topic-a", new Message<string, string> { Key = id, Value = $"partner-{id}" });
                partner.CommitTransaction(Timeout);
            }

            // Not fenced: the insiders' open transactions commit.
            foreach (var insider in insiders)
            {
                insider.CommitTransaction(Timeout);
            }
        }
        finally
        {
            foreach (var insider in insiders)
            {
                insider.Dispose();
            }
        }

        var values = CommittedValues(gateway).Order(StringComparer.Ordinal);
        Assert.Equal(ids.SelectMany(id => new[] { $"insider-{id}", $"partner-{id}" }).Order(StringComparer.Ordinal), values);

        // Upstream the partner's transactions exist only under its own zone's prefix.
        var transactions = await TransactionsAsync(gateway);
        foreach (var id in ids)
        {
            Assert.Equal("CompleteCommit", transactions[id]);
            Assert.Equal("CompleteCommit", transactions[$"pz.{GatewayFixture.ZoneName}.{id}"]);
        }
    }

    /// <summary>Every transactional id the cluster's coordinators know, with its state (each node answers for its own).</summary>
    private static async Task<Dictionary<string, string>> TransactionsAsync(TwoZoneGateway gateway)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in gateway.Cluster.EndPoints)
        {
            using var connection = await KafkaWireClient.ConnectAsync(node);
            var response = await connection.SendAsync<ListTransactionsResponse>(new ListTransactionsRequest(), 0);
            Assert.Equal(0, response.ErrorCode);
            foreach (var transaction in response.TransactionStates)
            {
                states[transaction.TransactionalId] = transaction.TransactionState;
            }
        }

        return states;
    }

    /// <summary>The values of the backing topic a read_committed reader gets, read to the end of every
    /// partition (offsets also count transaction markers, so the reference reader's count would not fit).</summary>
    private static List<string> CommittedValues(TwoZoneGateway gateway)
    {
        var config = gateway.Upstream.Config<ConsumerConfig>();
        config.GroupId = "committed-reader";
        config.EnableAutoCommit = false;
        config.EnablePartitionEof = true;
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(Enumerable.Range(0, GatewayFixture.BackingPartitions).Select(p => new TopicPartitionOffset(GatewayFixture.BackingTopic, p, Offset.Beginning)));
        var values = new List<string>();
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow + Timeout;
        while (ended.Count < GatewayFixture.BackingPartitions && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                if (result.IsPartitionEOF)
                {
                    ended.Add(result.Partition.Value);
                }
                else
                {
                    values.Add(result.Message.Value);
                }
            }
        }

        Assert.Equal(GatewayFixture.BackingPartitions, ended.Count);
        return values;
    }
}
