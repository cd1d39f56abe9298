using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>
/// The same admin, produce and group-consume checks for every scripted client, on one node and on
/// three (where partition leaders differ, so the client must send each request to the right node).
/// Confluent.Kafka in this process prepares the topics and records and checks the client's work.
/// </summary>
public abstract class ScriptClientTests
{
    private const int Partitions = 6;
    private const int Count = 300;

    protected abstract ScriptClient Client { get; }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Admin_creates_a_topic_and_lists_it_with_the_others(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        await ReferenceClient.CreateTopicAsync(Endpoint(cluster), "existing", 2);

        var result = await Client.RunAsync(Endpoint(cluster), "admin", "--topic", "created", "--partitions", Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var topics = result.GetProperty("topics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["created"] = Partitions, ["existing"] = 2 }, topics);
        Assert.Equal(nodes, result.GetProperty("brokers").GetInt32());
        Assert.Equal(Enumerable.Range(0, nodes), result.GetProperty("leaders").GetProperty("created").EnumerateArray().Select(e => e.GetInt32()));

        // The cluster agrees, seen through another client.
        var leaders = ReferenceClient.Leaders(Endpoint(cluster), "created");
        Assert.Equal(Partitions, leaders.Count);
        Assert.Equal(nodes, leaders.Values.Distinct().Count());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Produced_records_are_all_stored_on_their_leaders(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        var leaders = await ReferenceClient.CreateTopicAsync(Endpoint(cluster), "produced", Partitions);
        var prefix = Client.Name;

        var result = await Client.RunAsync(Endpoint(cluster), "produce", "--topic", "produced", "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--prefix", prefix);

        Assert.Equal(Count, result.GetProperty("delivered").GetInt32());
        var stored = ReferenceClient.ReadAll(Endpoint(cluster), "produced");
        RecordChecks.AssertComplete(stored, prefix, Count);
        RecordChecks.AssertEveryNodeLed(stored, leaders, nodes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_group_consumes_every_record_and_commits_its_offsets(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        var leaders = await ReferenceClient.CreateTopicAsync(Endpoint(cluster), "consumed", Partitions);
        ReferenceClient.Produce(Endpoint(cluster), "consumed", "reference", Count);

        var result = await Client.RunAsync(Endpoint(cluster), "consume", "--topic", "consumed", "--count", Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--group", "readers");

        var records = ScriptClient.Records(result);
        RecordChecks.AssertComplete(records, "reference", Count);
        RecordChecks.AssertEveryNodeLed(records, leaders, nodes);
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(Endpoint(cluster), "readers", "consumed"));
    }

    private static KafkaEndpoint Endpoint(EmbeddedCluster cluster) => new(cluster.BootstrapServers);
}
