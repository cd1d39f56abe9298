using System.Globalization;
using PartnerZones.EmbeddedKafka.Tests.ProcessClients;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// A real old client against the cluster: kafka-python told the broker is 0.10.1 (or 0.9) uses that
/// release's request versions without asking ApiVersions (JoinGroup v1 or v0, SyncGroup v0, Fetch v3 or
/// v1, ListOffsets v1 or v0, OffsetFetch v1), joins a group, commits, and a second run resumes from the
/// committed offsets.
/// </summary>
[Collection(ProcessClientsCollection.Name)]
public sealed class KafkaPythonOldProtocolTests
{
    [Theory]
    [InlineData("0.10.1")]
    [InlineData("0.9")]
    public async Task An_old_protocol_consumer_joins_commits_and_resumes(string apiVersion)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        var endpoint = new KafkaEndpoint(cluster.BootstrapServers);
        await ReferenceClient.CreateTopicAsync(endpoint, "legacy", 2);
        ReferenceClient.Produce(endpoint, "legacy", "first", 20);

        var first = ScriptClient.Records(await ConsumeAsync(endpoint, apiVersion, 20));
        RecordChecks.AssertComplete(first, "first", 20);
        Assert.Equal(20, await ReferenceClient.CommittedTotalAsync(endpoint, "old-readers", "legacy"));

        ReferenceClient.Produce(endpoint, "legacy", "second", 10);
        var second = ScriptClient.Records(await ConsumeAsync(endpoint, apiVersion, 10));

        // Only the new records: the group carried on from what the first run committed (so their offsets
        // continue after the first twenty, and only the values are compared).
        Assert.Equal(
            Enumerable.Range(0, 10).Select(i => RecordChecks.Value("second", i)).Order(StringComparer.Ordinal),
            second.Select(r => r.Value).Order(StringComparer.Ordinal));
        Assert.Equal(30, await ReferenceClient.CommittedTotalAsync(endpoint, "old-readers", "legacy"));
    }

    private static Task<System.Text.Json.JsonElement> ConsumeAsync(KafkaEndpoint endpoint, string apiVersion, int count) =>
        ScriptClient.KafkaPython.RunAsync(endpoint, "consume", "--topic", "legacy", "--count", count.ToString(CultureInfo.InvariantCulture),
            "--group", "old-readers", "--api-version", apiVersion);
}
