using System.Buffers.Binary;
using System.Globalization;
using Confluent.Kafka;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// A zone with two WRITE aliases of one backing topic (sales-eu and sales-us on kafka-topic-a). A Produce
/// request that carries both aliases with the same partitions must be split upstream, or the two batches
/// for one backing partition would merge, and each alias must get its own offsets back. kafkajs sends
/// such requests (one per broker for a whole batch); librdkafka (Confluent.Kafka 2.16) sends one
/// partition's batch per request, so with it the aliases only interleave on the same partitions.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class TwoWriteAliasesProducerTests
{
    private const int PerAlias = 60;
    private const string Eu = "sales-eu";
    private const string Us = "sales-us";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_kafkajs_batch_for_both_aliases_is_split_upstream_and_lands_every_record_once_without_cross_over(int nodes)
    {
        var upstreamProduces = 0;
        await using var gateway = await GatewayFixture.StartAsync(nodes, GatewayFixture.TwoWriteAliasesZone, (_, request, _) =>
        {
            // Only the partner's produces: the gateway's own state and audit records go upstream too.
            if (BinaryPrimitives.ReadInt16BigEndian(request.Span) == ProduceRequest.Key && request.Span.IndexOf("kafka-topic-a"u8) >= 0 && request.Span.IndexOf("__pz_gateway"u8) < 0)
            {
                Interlocked.Increment(ref upstreamProduces);
            }
        });

        var result = await ScriptClient.Kafkajs.RunAsync(gateway.PartnerEndpoint, "produce", "--topic", $"{Eu},{Us}", "--count", PerAlias.ToString(CultureInfo.InvariantCulture));

        // kafkajs sent one request per broker, each with both aliases: the cluster got two per broker.
        Assert.Equal(2 * PerAlias, result.GetProperty("delivered").GetInt32());
        Assert.Equal(2 * nodes, Volatile.Read(ref upstreamProduces));

        var stored = ZoneExpectations.Backing(gateway);
        AssertEveryRecordOnce(stored);
        foreach (var batch in result.GetProperty("batches").EnumerateArray())
        {
            // Each alias's batch starts at the offset the gateway reported for that alias, and holds only its records.
            var topic = batch.GetProperty("topic").GetString()!;
            var partition = batch.GetProperty("partition").GetInt32();
            var baseOffset = batch.GetProperty("baseOffset").GetInt64();
            var own = stored.Where(r => r.Partition == partition && r.Value.StartsWith(topic + "-", StringComparison.Ordinal)).Select(r => r.Offset).Order().ToList();
            Assert.Equal(Enumerable.Range(0, own.Count).Select(i => baseOffset + i), own);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_librdkafka_producer_interleaving_both_aliases_lands_every_record_once_without_cross_over(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes, GatewayFixture.TwoWriteAliasesZone);
        var config = gateway.PartnerEndpoint.Config<ProducerConfig>();
        config.Acks = Acks.All;
        config.LingerMs = 20;

        var delivered = new List<DeliveryResult<string, string>>();
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            var pending = new List<Task<DeliveryResult<string, string>>>();
            for (var i = 0; i < PerAlias; i++)
            {
                var partition = i % GatewayFixture.BackingPartitions;
                pending.Add(producer.ProduceAsync(new TopicPartition(Eu, partition), new Message<string, string> { Key = $"k{i}", Value = $"{Eu}-{i}" }));
                pending.Add(producer.ProduceAsync(new TopicPartition(Us, partition), new Message<string, string> { Key = $"k{i}", Value = $"{Us}-{i}" }));
            }

            delivered.AddRange(await Task.WhenAll(pending));
        }

        // Each delivery report names its own alias and the offset where its own record is stored.
        Assert.All(delivered, d => Assert.Equal(PersistenceStatus.Persisted, d.Status));
        var stored = ZoneExpectations.Backing(gateway);
        AssertEveryRecordOnce(stored);
        var byPosition = stored.ToDictionary(r => (r.Partition, r.Offset), r => r.Value);
        Assert.All(delivered, d =>
        {
            Assert.StartsWith(d.Topic + "-", d.Message.Value, StringComparison.Ordinal);
            Assert.Equal(d.Message.Value, byPosition[(d.Partition.Value, d.Offset.Value)]);
        });
    }

    [Fact]
    public async Task An_idempotent_producer_on_two_write_aliases_of_one_topic_is_refused_with_a_clear_error_and_nothing_lands()
    {
        await using var gateway = await GatewayFixture.StartAsync(1, GatewayFixture.TwoWriteAliasesZone);
        var config = gateway.PartnerEndpoint.Config<ProducerConfig>();
        config.EnableIdempotence = true;
        config.MessageTimeoutMs = 15000;

        using var producer = new ProducerBuilder<string, string>(config).Build();
        var error = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync(Eu, new Message<string, string> { Key = "k", Value = "idempotent" }));
        Assert.Equal(ErrorCode.InvalidRecord, error.Error.Code);
        Assert.DoesNotContain(ZoneExpectations.Backing(gateway), r => r.Value == "idempotent");
    }

    private static void AssertEveryRecordOnce(List<ClientRecord> stored)
    {
        var expected = Enumerable.Range(0, PerAlias).SelectMany(i => new[] { $"{Eu}-{i}", $"{Us}-{i}" });
        Assert.Equal(expected.Order(StringComparer.Ordinal), stored.Select(r => r.Value).Order(StringComparer.Ordinal));
    }
}
