using Confluent.Kafka;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>Confluent.Kafka's idempotent producer as a partner through the gateway, on one upstream node and on three.</summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class IdempotentProducerTests
{
    private const int Count = 300;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Every_record_lands_once_in_order_under_one_producer_id(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);
        var leaders = ZoneExpectations.BackingLeaders(gateway);
        var config = gateway.PartnerEndpoint.Config<ProducerConfig>();
        config.EnableIdempotence = true;
        config.LingerMs = 5;

        List<DeliveryResult<string, string>> delivered;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            // ProduceAsync enqueues synchronously, so records keep their order per key.
            delivered = [.. await Task.WhenAll(Enumerable.Range(0, Count).Select(i => producer.ProduceAsync(
                ZoneExpectations.WriteAlias, new Message<string, string> { Key = RecordChecks.Key(i), Value = RecordChecks.Value("idempotent", i) })))];
        }

        Assert.All(delivered, d => Assert.Equal(PersistenceStatus.Persisted, d.Status));
        Assert.All(delivered, d => Assert.Equal(ZoneExpectations.WriteAlias, d.Topic));
        var stored = ZoneExpectations.Backing(gateway);
        RecordChecks.AssertComplete(stored, "idempotent", Count);
        RecordChecks.AssertEveryNodeLed(stored, leaders, nodes);
        var byPosition = stored.ToDictionary(r => (r.Partition, r.Offset), r => r.Value);
        Assert.All(delivered, d => Assert.Equal(d.Message.Value, byPosition[(d.Partition.Value, d.Offset.Value)]));

        // Upstream, every partition's leader knows one producer whose last sequence covers every record
        // it got: the batches were idempotent ones, sequenced per partition, not plain ones.
        var producers = await UpstreamInspector.ProducersAsync(gateway, GatewayFixture.BackingTopic, leaders);
        var producerIds = producers.Values.SelectMany(p => p).Select(p => p.ProducerId).Distinct().ToList();
        Assert.True(Assert.Single(producerIds) >= 0);
        foreach (var (partition, states) in producers)
        {
            var count = stored.Count(r => r.Partition == partition);
            Assert.Equal(count - 1, Assert.Single(states).LastSequence);
        }
    }
}
