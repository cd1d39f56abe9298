using System.Globalization;
using System.Text;
using PartnerZones.EmbeddedKafka.Security;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>
/// Every process client logs in with SASL PLAIN, and with SCRAM where it supports it, then produces and
/// consumes with a group. A wrong password fails instead of hanging. Debian's librdkafka 2.0.2 (kcat,
/// confluent-kafka-python) sends a malformed SCRAM client-final nonce (its own nonce prepended to the
/// combined one) that Apache Kafka refuses too, so those two are proven with PLAIN; SCRAM is proven with
/// kafka-python, kafkajs and, in-process, Confluent.Kafka's newer librdkafka.
/// </summary>
[Collection(ProcessClientsCollection.Name)]
public sealed class SaslClientsTests
{
    private const int Count = 100;

    public static TheoryData<string, string> ScriptClientsAndMechanisms() => new()
    {
        { "confluent-kafka-python", "PLAIN" },
        { "kafka-python", "PLAIN" },
        { "kafka-python", "SCRAM-SHA-512" },
        { "kafkajs", "PLAIN" },
        { "kafkajs", "SCRAM-SHA-256" },
    };

    [Theory]
    [MemberData(nameof(ScriptClientsAndMechanisms))]
    public async Task Scripted_client_produces_and_consumes_over_SASL(string clientName, string mechanism)
    {
        var client = new[] { ScriptClient.ConfluentKafkaPython, ScriptClient.KafkaPython, ScriptClient.Kafkajs }.Single(c => c.Name == clientName);
        await using var cluster = await StartAsync(mechanism);
        var endpoint = Endpoint(cluster, mechanism, "alice-secret");
        await ReferenceClient.CreateTopicAsync(endpoint, "secured", 3);

        var admin = await client.RunAsync(endpoint, "admin", "--topic", "created-over-sasl", "--partitions", "2");
        var topics = admin.GetProperty("topics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(2, topics["created-over-sasl"]);
        Assert.Equal(3, topics["secured"]);

        var produced = await client.RunAsync(endpoint, "produce", "--topic", "secured", "--count", Count.ToString(CultureInfo.InvariantCulture), "--prefix", "sasl");
        Assert.Equal(Count, produced.GetProperty("delivered").GetInt32());

        var consumed = await client.RunAsync(endpoint, "consume", "--topic", "secured", "--count", Count.ToString(CultureInfo.InvariantCulture), "--group", "secured-readers");
        RecordChecks.AssertComplete(ScriptClient.Records(consumed), "sasl", Count);
    }

    [Theory]
    [InlineData("PLAIN")]
    public async Task Kcat_produces_and_consumes_over_SASL_and_a_wrong_password_fails(string mechanism)
    {
        await using var cluster = await StartAsync(mechanism);
        var endpoint = Endpoint(cluster, mechanism, "alice-secret");
        await ReferenceClient.CreateTopicAsync(endpoint, "secured", 1);

        var input = string.Join('\n', Enumerable.Range(0, Count).Select(i => $"v{i}")) + "\n";
        await Kcat.RunToSuccessAsync(endpoint, input, "-P", "-t", "secured");
        var output = await Kcat.RunToSuccessAsync(endpoint, null, "-C", "-t", "secured", "-e", "-q", "-o", "beginning");
        Assert.Equal(Count, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());

        var listing = await Kcat.RunToSuccessAsync(endpoint, null, "-L", "-t", "secured");
        Assert.Contains("topic \"secured\" with 1 partitions", listing);
        var grouped = await Kcat.RunToSuccessAsync(endpoint, null, "-G", "sasl-readers", "secured", "-X", "auto.offset.reset=earliest", "-e", "-q");
        Assert.Equal(Count, grouped.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(endpoint, "sasl-readers", "secured"));

        var wrong = await Kcat.RunAsync(Endpoint(cluster, mechanism, "not-the-password"), null, ["-L", "-m", "10"], TimeSpan.FromSeconds(60));
        Assert.False(wrong.TimedOut, "kcat hung on a wrong password instead of failing");
        Assert.NotEqual(0, wrong.ExitCode);
    }

    private static Task<EmbeddedCluster> StartAsync(string mechanism) => EmbeddedCluster.StartAsync(new ClusterOptions
    {
        SaslUsers = [new SaslUser(Enum.Parse<SaslMechanism>(mechanism.Replace("-", ""), ignoreCase: true), "alice", "alice-secret")],
    });

    private static KafkaEndpoint Endpoint(EmbeddedCluster cluster, string mechanism, string password) =>
        new(cluster.BootstrapServers, new SaslPlain("alice", password, mechanism));
}
