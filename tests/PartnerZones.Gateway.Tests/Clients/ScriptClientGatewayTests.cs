using System.Globalization;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// What a partner does with each scripted client library, through the gateway with SASL PLAIN as johndoe,
/// on one upstream node and on three (where partition leaders differ, so every gateway broker port must
/// route to its own upstream node). Each test gets a fresh cluster and gateway, so the backing topic holds
/// exactly what the test put there; an administrator's Confluent.Kafka checks the cluster directly.
/// </summary>
public abstract class ScriptClientGatewayTests
{
    private const int Count = 60;

    /// <summary>A refusal must reach the partner well before any client-side delivery timeout would.</summary>
    private const int RefusalSeconds = 30;

    protected abstract ScriptClient Client { get; }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Lists_exactly_the_zone_aliases_with_their_partitions_and_gateway_brokers(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);

        var result = await Client.RunAsync(gateway.PartnerEndpoint, "list");

        ZoneExpectations.AssertListing(
            gateway,
            result.GetProperty("topics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()),
            result.GetProperty("leaders").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetInt32()).ToArray()),
            [.. result.GetProperty("brokers").EnumerateArray().Select(b => b.GetString()!)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Records_produced_to_the_write_alias_land_once_each_in_the_backing_topic(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);
        var leaders = ZoneExpectations.BackingLeaders(gateway);
        var prefix = Client.Name;

        var result = await Client.RunAsync(gateway.PartnerEndpoint, "produce", "--topic", ZoneExpectations.WriteAlias, "--count", Number(Count), "--prefix", prefix);

        Assert.Equal(Count, result.GetProperty("delivered").GetInt32());
        var stored = ZoneExpectations.Backing(gateway);
        RecordChecks.AssertComplete(stored, prefix, Count);
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
        var group = $"{Client.Name}-readers";

        var result = await Client.RunAsync(gateway.PartnerEndpoint, "consume", "--topic", ZoneExpectations.ReadAlias, "--count", Number(Count), "--group", group);

        var records = ScriptClient.Records(result);
        RecordChecks.AssertComplete(records, "reference", Count);
        RecordChecks.AssertEveryNodeLed(records, leaders, nodes);
        Assert.All(records, r => Assert.Equal(ZoneExpectations.ReadAlias, r.Topic));
        await ZoneExpectations.AssertCommittedUpstreamAsync(gateway, group, Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Producing_to_the_read_alias_fails_with_a_topic_authorization_error(int nodes)
    {
        await using var gateway = await GatewayFixture.StartAsync(nodes);

        var error = await Client.RunToKafkaErrorAsync(gateway.PartnerEndpoint, RefusalSeconds, "produce", "--topic", ZoneExpectations.ReadAlias, "--count", "3", "--prefix", "refused");

        Assert.True(
            error.GetProperty("name").GetString() == "TOPIC_AUTHORIZATION_FAILED" && error.GetProperty("code").GetInt32() == ZoneExpectations.TopicAuthorizationFailed,
            $"{Client.Name} reported {error}");
        Assert.Empty(ZoneExpectations.Backing(gateway));
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
