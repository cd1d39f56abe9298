using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using PartnerZones.Gateway.Tests.Clients;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Headers;

/// <summary>
/// Header rules with kafkajs and kafka-python run as processes, as partners run them: what they produce
/// through the gateway carries the zone's headers (their own header kept where the rule does not
/// override), and what they consume never has a header a remove rule matches.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class ScriptClientHeaderTests
{
    private const int Count = 20;

    public static TheoryData<string> Clients => ["kafkajs", "kafka-python"];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task Records_a_script_client_produces_get_the_zone_headers(string name)
    {
        var client = Client(name);
        await using var gateway = await GatewayFixture.StartAsync(1, HeaderZone.Yaml);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var produced = await client.RunAsync(gateway.PartnerEndpoint, "produce", "--topic", ZoneExpectations.WriteAlias, "--count", Count.ToString(CultureInfo.InvariantCulture), "--prefix", name, "--header", "pz-keep=from-partner");

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(Count, produced.GetProperty("delivered").GetInt32());
        var upstream = HeaderZone.Read(HeaderZone.Upstream(gateway), GatewayFixture.BackingTopic, Count);
        Assert.Equal(Count, upstream.Count);
        foreach (var message in upstream.Select(r => r.Message))
        {
            Assert.Equal("johndoe", HeaderZone.Single(message, "pz-user"));
            Assert.Equal("from-partner", HeaderZone.Single(message, "pz-keep"));
            Assert.Matches("^client=.+ ip=127\\.0\\.0\\.1 api=0/[0-9]+ host=127\\.0\\.0\\.1$", HeaderZone.Single(message, "pz-origin"));
            Assert.InRange(long.Parse(HeaderZone.Single(message, "pz-time"), CultureInfo.InvariantCulture), before, after);
        }

        // The client reads its own records back through the gateway with the added headers.
        var consumed = await client.RunAsync(gateway.PartnerEndpoint, "consume", "--topic", ZoneExpectations.ReadAlias, "--count", Count.ToString(CultureInfo.InvariantCulture), "--group", $"{name}-header-readers");
        var records = consumed.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(Count, records.Count);
        Assert.All(records, r => Assert.Equal("johndoe", Assert.Single(Headers(r), h => h.Key == "pz-user").Value));
    }

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_script_client_never_sees_removed_headers(string name)
    {
        var client = Client(name);
        await using var gateway = await GatewayFixture.StartAsync(1, HeaderZone.Yaml);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = gateway.Cluster.BootstrapServers, CompressionType = CompressionType.Gzip }).Build())
        {
            for (var i = 0; i < Count; i++)
            {
                var headers = new Confluent.Kafka.Headers { { "secret-token", Encoding.UTF8.GetBytes("s") }, { "internal", Encoding.UTF8.GetBytes("i") }, { "app", Encoding.UTF8.GetBytes("a") } };
                producer.Produce(new TopicPartition(GatewayFixture.BackingTopic, i % GatewayFixture.BackingPartitions), new Message<string, string> { Key = $"k{i}", Value = $"v{i}", Headers = headers });
            }

            Assert.Equal(0, producer.Flush(HeaderZone.Timeout));
        }

        var consumed = await client.RunAsync(gateway.PartnerEndpoint, "consume", "--topic", ZoneExpectations.ReadAlias, "--count", Count.ToString(CultureInfo.InvariantCulture), "--group", $"{name}-header-readers");

        var records = consumed.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(Count, records.Count);
        Assert.All(records, r => Assert.Equal([new KeyValuePair<string, string?>("app", "a")], Headers(r)));
    }

    private static ScriptClient Client(string name) => name == "kafkajs" ? ScriptClient.Kafkajs : ScriptClient.KafkaPython;

    private static List<KeyValuePair<string, string?>> Headers(JsonElement record) =>
        [.. record.GetProperty("headers").EnumerateArray().Select(h => new KeyValuePair<string, string?>(h[0].GetString()!, h[1].GetString()))];
}
