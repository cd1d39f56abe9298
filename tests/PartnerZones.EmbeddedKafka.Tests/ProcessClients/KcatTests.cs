using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>
/// kcat (librdkafka, Debian's build) as a separate process, on one node and on three. kcat cannot create
/// topics, so Confluent.Kafka in this process creates them. Set PZ_CLIENT_DEBUG (e.g. "protocol,broker,cgrp")
/// to get kcat's debug log in a failing test's message.
/// </summary>
[Collection(ProcessClientsCollection.Name)]
public sealed class KcatTests
{
    private const int Partitions = 6;
    private const int Count = 300;
    private const string Format = "%p\t%o\t%k\t%s\n";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Metadata_lists_the_topic_with_its_partitions_and_their_leaders(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        var leaders = await ReferenceClient.CreateTopicAsync(cluster, "listed", Partitions);
        await ReferenceClient.CreateTopicAsync(cluster, "other", 1);

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
        var leaders = await ReferenceClient.CreateTopicAsync(cluster, "lines", Partitions);
        var input = new StringBuilder();
        for (var i = 0; i < Count; i++)
        {
            input.Append(CultureInfo.InvariantCulture, $"{RecordChecks.Key(i)}:{RecordChecks.Value("kcat", i)}\n");
        }

        await RunWithInputAsync(cluster, input.ToString(), "-P", "-t", "lines", "-K", ":", "-X", "acks=all");
        var stored = ReferenceClient.ReadAll(cluster, "lines");
        RecordChecks.AssertComplete(stored, "kcat", Count);
        RecordChecks.AssertEveryNodeLed(stored, leaders, nodes);

        var consumed = Parse(await RunAsync(cluster, "-C", "-t", "lines", "-o", "beginning", "-e", "-q", "-f", Format));
        RecordChecks.AssertComplete(consumed, "kcat", Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_kcat_group_consumes_every_record_commits_and_resumes_at_the_end(int nodes)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { Nodes = nodes });
        var leaders = await ReferenceClient.CreateTopicAsync(cluster, "grouped", Partitions);
        ReferenceClient.Produce(cluster, "grouped", "reference", Count);

        // No -o: with -G it would override the committed offsets; auto.offset.reset applies only
        // where the group has none. kcat commits on exit (librdkafka's auto commit).
        string[] groupConsume = ["-G", "kcat-readers", "grouped", "-X", "auto.offset.reset=earliest", "-e", "-q", "-f", Format];
        var consumed = Parse(await RunAsync(cluster, groupConsume));

        RecordChecks.AssertComplete(consumed, "reference", Count);
        RecordChecks.AssertEveryNodeLed(consumed, leaders, nodes);
        Assert.Equal(Count, await ReferenceClient.CommittedTotalAsync(cluster, "kcat-readers", "grouped"));

        var again = Parse(await RunAsync(cluster, groupConsume));
        Assert.Empty(again);
    }

    private static Task<string> RunAsync(EmbeddedCluster cluster, params string[] options) => RunWithInputAsync(cluster, null, options);

    private static Task<string> RunWithInputAsync(EmbeddedCluster cluster, string? stdin, params string[] options)
    {
        List<string> arguments = ["-b", cluster.BootstrapServers, .. options];
        if (Environment.GetEnvironmentVariable("PZ_CLIENT_DEBUG") is { Length: > 0 } debug)
        {
            arguments.AddRange(["-d", debug]);
        }

        return ClientProcess.RunToSuccessAsync(ClientTools.Kcat(), arguments, Timeout, stdin);
    }

    private static List<ClientRecord> Parse(string output) =>
    [
        .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var fields = line.Split('\t');
            Assert.True(fields.Length == 4, $"Unexpected kcat output line: {line}");
            return new ClientRecord(
                int.Parse(fields[0], CultureInfo.InvariantCulture),
                long.Parse(fields[1], CultureInfo.InvariantCulture),
                fields[2],
                fields[3]);
        }),
    ];
}
