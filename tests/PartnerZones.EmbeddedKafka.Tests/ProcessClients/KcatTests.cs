using System.Globalization;
using System.Text;
using System.Text.Json;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>
/// kcat (librdkafka, Debian's build) as a separate process, on one node and on three. kcat cannot create
/// topics, so Confluent.Kafka in this process creates them.
/// </summary>
[Collection(ProcessClientsCollection.Name)]
public sealed class KcatTests
{
    private const int Partitions = 6;
    private const int Count = 300;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Metadata_lists_the_topic_with_its_partitions_and_their_leaders(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        var leaders = await ReferenceClient.CreateTopicAsync(Endpoint(cluster), "listed", Partitions);
        await ReferenceClient.CreateTopicAsync(Endpoint(cluster), "other", 1);

        var json = JsonDocument.Parse(await RunAsync(cluster, "-L", "-J", "-t", "listed")).RootElement;

        Assert.Equal(
            cluster.EndPoints.Select(e => $"127.0.0.1:{e.Port}").Order(StringComparer.Ordinal),
            json.GetProperty("brokers").EnumerateArray().Select(b => b.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var topic = Assert.Single(json.GetProperty("topics").EnumerateArray());
        Assert.Equal("listed", topic.GetProperty("topic").GetString());
        Assert.False(topic.TryGetProperty("error", out var error), $"kcat reports a topic error: {error}");
        var listed = topic.GetProperty("partitions").EnumerateArray()
            .ToDictionary(p => p.GetProperty("partition").GetInt32(), p => p.GetProperty("leader").GetInt32());
        Assert.Equal(leaders.OrderBy(p => p.Key), listed.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Records_produced_with_kcat_are_all_consumed_back_with_kcat(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        var leaders = await ReferenceClient.CreateTopicAsync(Endpoint(cluster), "lines", Partitions);
        var input = new StringBuilder();
        for (var i = 0; i < Count; i++)
        {
            input.Append(CultureInfo.InvariantCulture, $"{RecordChecks.Key(i)}:{RecordChecks.Value("kcat", i)}\n");
        }

        await RunWithInputAsync(cluster, input.ToString(), "-P", "-t", "lines", "-K", ":", "-X", "acks=all");
        var stored = ReferenceClient.ReadAll(Endpoint(cluster), "lines");
        RecordChecks.AssertComplete(stored, "kcat", Count);
        RecordChecks.AssertEveryNodeLed(stored, leaders, nodes);

        var consumed = Kcat.Parse(await RunAsync(cluster, "-C", "-t", "lines", "-o", "beginning", "-e", "-q", "-f", Kcat.Format));
        RecordChecks.AssertComplete(consumed, "kcat", Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_kcat_group_consumes_every_record_commits_and_resumes_at_the_end(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        var leaders = await ReferenceClient.CreateTopicAsync(Endpoint(cluster), "grouped", Partitions);
        ReferenceClient.Produce(Endpoint(cluster), "grouped", "reference", Count);

        // No -o: with -G it would override the committed offsets; auto.offset.reset applies only
        // where the group has none. kcat commits on exit (librdkafka's auto commit).
        string[] groupConsume = ["-G", "kcat-readers", "grouped", "-X", "auto.offset.reset=earliest", "-e", "-q", "-f", Kcat.Format];
        var consumed = Kcat.Parse(await RunAsync(cluster, groupConsume));

        RecordChecks.AssertComplete(consumed, "reference", Count);
        RecordChecks.AssertEveryNodeLed(consumed, leaders, nodes);
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(Endpoint(cluster), "kcat-readers", "grouped"));

        var again = Kcat.Parse(await RunAsync(cluster, groupConsume));
        Assert.Empty(again);
    }

    private static Task<string> RunAsync(EmbeddedCluster cluster, params string[] options) => RunWithInputAsync(cluster, null, options);

    private static Task<string> RunWithInputAsync(EmbeddedCluster cluster, string? stdin, params string[] options) =>
        Kcat.RunToSuccessAsync(Endpoint(cluster), stdin, options);

    private static KafkaEndpoint Endpoint(EmbeddedCluster cluster) => new(cluster.BootstrapServers);
}
