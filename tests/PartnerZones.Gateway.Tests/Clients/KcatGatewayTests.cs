using System.Globalization;
using System.Text;
using System.Text.Json;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>kcat (librdkafka, Debian's build) as a partner through the gateway, with SASL PLAIN as johndoe,
/// on one upstream node and on three. Each test gets a fresh cluster and gateway.</summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class KcatGatewayTests
{
    private const int Count = 60;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Lists_exactly_the_zone_aliases_with_their_partitions_and_gateway_brokers(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);

        var json = JsonDocument.Parse(await Kcat.RunToSuccessAsync(gateway.PartnerEndpoint, null, "-L", "-J")).RootElement;

        var topics = json.GetProperty("topics").EnumerateArray().ToList();
        Assert.All(topics, t => Assert.False(t.TryGetProperty("error", out var error), $"kcat reports a topic error: {error}"));
        ZoneExpectations.AssertListing(
            gateway,
            topics.ToDictionary(t => t.GetProperty("topic").GetString()!, t => t.GetProperty("partitions").GetArrayLength()),
            topics.ToDictionary(t => t.GetProperty("topic").GetString()!, t => t.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("leader").GetInt32()).Distinct().ToArray()),
            [.. json.GetProperty("brokers").EnumerateArray().Select(b => b.GetProperty("name").GetString()!)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Records_produced_to_the_write_alias_land_once_each_in_the_backing_topic(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);
        var leaders = ZoneExpectations.BackingLeaders(gateway);

        await Kcat.RunToSuccessAsync(gateway.PartnerEndpoint, Lines("kcat", Count), "-P", "-t", ZoneExpectations.WriteAlias, "-K", ":", "-X", "acks=all");

        var stored = ZoneExpectations.Backing(gateway);
        RecordChecks.AssertComplete(stored, "kcat", Count);
        RecordChecks.AssertEveryNodeLed(stored, leaders, nodes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_group_on_the_read_alias_gets_every_record_and_commits_under_the_zone_prefix(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);
        var leaders = ZoneExpectations.BackingLeaders(gateway);
        ReferenceClient.Produce(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic, "reference", Count);

        // No -o: with -G it would override the committed offsets. kcat commits on exit (auto commit).
        var records = Kcat.Parse(await Kcat.RunToSuccessAsync(
            gateway.PartnerEndpoint, null, "-G", "kcat-readers", ZoneExpectations.ReadAlias, "-X", "auto.offset.reset=earliest", "-e", "-q", "-f", Kcat.Format));

        RecordChecks.AssertComplete(records, "reference", Count);
        RecordChecks.AssertEveryNodeLed(records, leaders, nodes);
        Assert.All(records, r => Assert.Equal(ZoneExpectations.ReadAlias, r.Topic));
        await ZoneExpectations.AssertCommittedUpstreamAsync(gateway, "kcat-readers", Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Producing_to_the_read_alias_fails_with_a_topic_authorization_error(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);

        // A short message timeout: a refusal that were retried instead would end as a timeout, not as the
        // authorization error asserted below.
        var run = await Kcat.RunAsync(
            gateway.PartnerEndpoint, Lines("refused", 3), ["-P", "-t", ZoneExpectations.ReadAlias, "-K", ":", "-X", "message.timeout.ms=20000"], TimeSpan.FromSeconds(60));

        Assert.False(run.TimedOut, run.Describe());
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("Topic authorization failed", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(ZoneExpectations.Backing(gateway));
    }

    /// <summary>kcat's producer input: key:value lines with the usual keys and values.</summary>
    private static string Lines(string prefix, int count)
    {
        var input = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            input.Append(CultureInfo.InvariantCulture, $"{RecordChecks.Key(i)}:{RecordChecks.Value(prefix, i)}\n");
        }

        return input.ToString();
    }
}
