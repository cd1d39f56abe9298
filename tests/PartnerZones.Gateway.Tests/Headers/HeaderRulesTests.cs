using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using PartnerZones.Gateway.Tests.Clients;

namespace PartnerZones.Gateway.Tests.Headers;

/// <summary>
/// A zone's header rules with Confluent.Kafka in process: headers added to what the partner produces
/// (templates filled, overrideIfExists both ways) are stored upstream and read back through the gateway;
/// headers matching removeOnConsume never reach the partner; every codec, idempotent and transactional
/// producers keep working because batches keep their offsets, sequences and transaction bits.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class HeaderRulesTests
{
    private const int Count = 30;

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Produced_records_get_the_zone_headers_with_templates_filled(CompressionType compression)
    {
        await using var gateway = await GatewayFixture.StartAsync(1, HeaderZone.Yaml);
        var config = gateway.PartnerEndpoint.Config<ProducerConfig>();
        config.ClientId = HeaderZone.ClientId;
        config.CompressionType = compression;
        config.LingerMs = 20;
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < Count; i++)
            {
                var headers = new Confluent.Kafka.Headers { { "pz-keep", Encoding.UTF8.GetBytes("from-partner") }, { "pz-user", Encoding.UTF8.GetBytes("someone-else") }, { "app", Encoding.UTF8.GetBytes($"a{i}") } };
                producer.Produce(new TopicPartition(ZoneExpectations.WriteAlias, i % GatewayFixture.BackingPartitions), new Message<string, string> { Key = $"k{i}", Value = $"v{i}", Headers = headers });
            }

            Assert.Equal(0, producer.Flush(HeaderZone.Timeout));
        }

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var upstream = HeaderZone.Read(HeaderZone.Upstream(gateway), GatewayFixture.BackingTopic, Count);
        var partner = HeaderZone.Read(gateway.PartnerEndpoint.Config<ConsumerConfig>(), ZoneExpectations.ReadAlias, Count);
        Assert.Equal(Count, upstream.Count);
        Assert.Equal(Count, partner.Count);
        foreach (var result in upstream.Concat(partner))
        {
            var message = result.Message;
            var i = int.Parse(message.Key[1..], CultureInfo.InvariantCulture);
            Assert.Equal($"v{i}", message.Value);
            Assert.Equal($"a{i}", HeaderZone.Single(message, "app"));
            // overrideIfExists true replaces the partner's value, false keeps it and adds nothing.
            Assert.Equal("johndoe", HeaderZone.Single(message, "pz-user"));
            Assert.Equal("from-partner", HeaderZone.Single(message, "pz-keep"));
            Assert.Matches(new Regex($"^client={HeaderZone.ClientId} ip=127\\.0\\.0\\.1 api=0/[0-9]+ host=127\\.0\\.0\\.1$"), HeaderZone.Single(message, "pz-origin"));
            var stamped = long.Parse(HeaderZone.Single(message, "pz-time"), CultureInfo.InvariantCulture);
            Assert.InRange(stamped, before, after);
        }

        // Offsets are the upstream's: the partner reads exactly the stored records, at the same positions.
        Assert.Equal(
            upstream.Select(r => (r.Partition.Value, r.Offset.Value, r.Message.Key)).Order(),
            partner.Select(r => (r.Partition.Value, r.Offset.Value, r.Message.Key)).Order());
    }

    [Fact]
    public async Task A_rule_that_does_not_override_adds_its_header_when_the_record_has_none()
    {
        await using var gateway = await GatewayFixture.StartAsync(1, HeaderZone.Yaml);
        using (var producer = new ProducerBuilder<string, string>(gateway.PartnerEndpoint.Config<ProducerConfig>()).Build())
        {
            await producer.ProduceAsync(ZoneExpectations.WriteAlias, new Message<string, string> { Key = "k", Value = "v" });
        }

        var message = Assert.Single(HeaderZone.Read(HeaderZone.Upstream(gateway), GatewayFixture.BackingTopic, 1)).Message;
        Assert.Equal("from-gateway", HeaderZone.Single(message, "pz-keep"));
        Assert.Equal("johndoe", HeaderZone.Single(message, "pz-user"));
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Headers_matching_remove_rules_never_reach_the_partner(CompressionType compression)
    {
        await using var gateway = await GatewayFixture.StartAsync(1, HeaderZone.Yaml);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = gateway.Cluster.BootstrapServers, CompressionType = compression, LingerMs = 20 }).Build())
        {
            for (var i = 0; i < Count; i++)
            {
                var headers = new Confluent.Kafka.Headers
                {
                    { "secret-token", Encoding.UTF8.GetBytes("s") },
                    { "internal", Encoding.UTF8.GetBytes("i") },
                    { "internal-2", Encoding.UTF8.GetBytes("kept: the rule matches whole keys only") },
                    { "not-secret-x", Encoding.UTF8.GetBytes("kept") },
                    { "secret-", Encoding.UTF8.GetBytes("s") },
                };
                producer.Produce(new TopicPartition(GatewayFixture.BackingTopic, i % GatewayFixture.BackingPartitions), new Message<string, string> { Key = $"k{i}", Value = $"v{i}", Headers = headers });
            }

            // Records without any matching header pass through as the upstream stored them.
            producer.Produce(new TopicPartition(GatewayFixture.BackingTopic, 0), new Message<string, string> { Key = "plain", Value = "plain", Headers = [new Header("app", [1])] });
            Assert.Equal(0, producer.Flush(HeaderZone.Timeout));
        }

        var upstream = HeaderZone.Read(HeaderZone.Upstream(gateway), GatewayFixture.BackingTopic, Count + 1);
        var partner = HeaderZone.Read(gateway.PartnerEndpoint.Config<ConsumerConfig>(), ZoneExpectations.ReadAlias, Count + 1);
        Assert.Equal(Count + 1, partner.Count);
        foreach (var result in partner.Where(r => r.Message.Key != "plain"))
        {
            var keys = result.Message.Headers.Select(h => h.Key).ToList();
            Assert.Equal(["internal-2", "not-secret-x"], keys);
        }

        Assert.Equal("app", Assert.Single(partner.Single(r => r.Message.Key == "plain").Message.Headers).Key);
        Assert.Equal(
            upstream.Select(r => (r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Timestamp.UnixTimestampMs)).Order(),
            partner.Select(r => (r.Partition.Value, r.Offset.Value, r.Message.Key, r.Message.Timestamp.UnixTimestampMs)).Order());
    }

    [Fact]
    public async Task A_fetch_cut_at_the_size_limit_never_passes_on_a_partial_batch()
    {
        await using var gateway = await GatewayFixture.StartAsync(1, HeaderZone.Yaml);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = gateway.Cluster.BootstrapServers, LingerMs = 50, BatchSize = 4096 }).Build())
        {
            for (var i = 0; i < 200; i++)
            {
                producer.Produce(new TopicPartition(GatewayFixture.BackingTopic, 0), new Message<string, string> { Key = $"k{i}", Value = new string('x', 300), Headers = [new Header("secret-a", [1]), new Header("app", [2])] });
            }

            Assert.Equal(0, producer.Flush(HeaderZone.Timeout));
        }

        // A small partition limit makes the upstream cut most fetch responses inside a batch.
        var config = gateway.PartnerEndpoint.Config<ConsumerConfig>();
        config.MaxPartitionFetchBytes = 5000;
        config.FetchMaxBytes = 5000;
        config.MessageMaxBytes = 5000;
        var partner = HeaderZone.Read(config, ZoneExpectations.ReadAlias, 200);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), partner.Select(r => r.Offset.Value));
        Assert.All(partner, r => Assert.Equal("app", Assert.Single(r.Message.Headers).Key));
    }

    [Fact]
    public async Task An_idempotent_producer_keeps_working_with_header_rules()
    {
        await using var gateway = await GatewayFixture.StartAsync(1, HeaderZone.Yaml);
        var config = gateway.PartnerEndpoint.Config<ProducerConfig>();
        config.EnableIdempotence = true;
        config.LingerMs = 5;
        const int many = 300;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < many; i++)
            {
                producer.Produce(new TopicPartition(ZoneExpectations.WriteAlias, i % GatewayFixture.BackingPartitions), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(HeaderZone.Timeout));
        }

        var stored = HeaderZone.Read(HeaderZone.Upstream(gateway), GatewayFixture.BackingTopic, many);
        Assert.Equal(Enumerable.Range(0, many).Select(i => $"k{i}").Order(StringComparer.Ordinal), stored.Select(r => r.Message.Key).Order(StringComparer.Ordinal));
        Assert.All(stored, r => Assert.Equal("johndoe", HeaderZone.Single(r.Message, "pz-user")));
    }

    [Fact]
    public async Task A_transactional_producer_commits_and_aborts_with_header_rules()
    {
        await using var gateway = await GatewayFixture.StartAsync(1, HeaderZone.Yaml);
        var config = gateway.PartnerEndpoint.Config<ProducerConfig>();
        config.TransactionalId = "header-transactions";
        config.LingerMs = 5;
        config.CompressionType = CompressionType.Lz4;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            producer.InitTransactions(HeaderZone.Timeout);
            Transaction(producer, "committed");
            producer.CommitTransaction(HeaderZone.Timeout);
            Transaction(producer, "aborted");
            // Abort once the records are on the broker, so the abort marker really has something to hide.
            Assert.Equal(0, producer.Flush(HeaderZone.Timeout));
            producer.AbortTransaction(HeaderZone.Timeout);
            Transaction(producer, "after");
            producer.CommitTransaction(HeaderZone.Timeout);
        }

        var committed = HeaderZone.Read(gateway.PartnerEndpoint.Config<ConsumerConfig>(), ZoneExpectations.ReadAlias, 2 * Count, IsolationLevel.ReadCommitted);
        Assert.Equal(
            Enumerable.Range(0, Count).SelectMany(i => new[] { $"committed-{i}", $"after-{i}" }).Order(StringComparer.Ordinal),
            committed.Select(r => r.Message.Value).Order(StringComparer.Ordinal));
        Assert.All(committed, r => Assert.Equal("johndoe", HeaderZone.Single(r.Message, "pz-user")));

        var everything = HeaderZone.Read(HeaderZone.Upstream(gateway), GatewayFixture.BackingTopic, 3 * Count);
        Assert.Equal(3 * Count, everything.Count);
    }

    private static void Transaction(IProducer<string, string> producer, string prefix)
    {
        producer.BeginTransaction();
        for (var i = 0; i < Count; i++)
        {
            producer.Produce(new TopicPartition(ZoneExpectations.WriteAlias, i % GatewayFixture.BackingPartitions), new Message<string, string> { Key = $"k{i}", Value = $"{prefix}-{i}" });
        }
    }
}
