using PartnerZones.Testing.KafkaWire;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// DescribeConfigs of an alias answers with the backing topic's config, as the upstream reports it for
/// an administrator, minus what a partner is not shown: entries the upstream marks sensitive, and
/// synonyms that come from broker-level config (they name broker properties and show how the operator set
/// up the brokers). The scripted upstream reports both, as a Kafka broker does.
/// </summary>
public sealed class SensitiveConfigTests(ScriptedGatewayFixture fixture) : IClassFixture<ScriptedGatewayFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_admin_client_sees_the_aliases_config_without_sensitive_entries()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = fixture.Gateway.BootstrapServers,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = "johndoe",
            SaslPassword = GatewayFixture.PartnerSecret,
        }).Build();

        var result = Assert.Single(await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "topic-a" }], new DescribeConfigsOptions { RequestTimeout = Timeout }));

        Assert.Equal("topic-a", result.ConfigResource.Name);
        Assert.Equal(["cleanup.policy", "max.message.bytes", "retention.ms"], result.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Entries.Values, e => Assert.False(e.IsSensitive));
        Assert.Equal("259200000", result.Entries["retention.ms"].Value);
        Assert.Equal("delete", result.Entries["cleanup.policy"].Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Synonyms_from_broker_config_are_removed_and_the_topics_own_and_defaults_kept(short version)
    {
        await using var client = await KafkaWireClient.ConnectAsync(fixture.Bootstrap);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var response = await client.SendAsync<DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = 2, ResourceName = "topic-a", ConfigurationKeys = null }],
            IncludeSynonyms = true,
        }, version);

        var result = Assert.Single(response.Results);
        Assert.Equal(0, result.ErrorCode);
        Assert.Equal("topic-a", result.ResourceName);
        var configs = result.Configs.ToDictionary(c => c.Name);
        Assert.DoesNotContain(ScriptedGatewayFixture.SensitiveConfig, configs.Keys);
        Assert.Equal([("cleanup.policy", (sbyte)1), ("cleanup.policy", (sbyte)5)], configs["cleanup.policy"].Synonyms.Select(s => (s.Name, s.Source)));
        Assert.Equal([("retention.ms", (sbyte)5)], configs["retention.ms"].Synonyms.Select(s => (s.Name, s.Source)));
        // The entry itself keeps the value the topic uses and says it was set on the broker.
        Assert.Equal(("259200000", (sbyte)4), (configs["retention.ms"].Value, configs["retention.ms"].ConfigSource));
    }

    [Fact]
    public async Task The_scripted_upstream_does_report_them_to_a_direct_client()
    {
        // The control for the tests above: the sensitive entry and the broker synonyms are there to leak.
        await using var direct = await KafkaWireClient.ConnectAsync(fixture.Upstream.EndPoint);
        var response = await direct.SendAsync<DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = 2, ResourceName = ScriptedGatewayFixture.BackingTopic, ConfigurationKeys = null }],
            IncludeSynonyms = true,
        }, 4);

        var configs = Assert.Single(response.Results).Configs;
        Assert.Contains(configs, c => c.IsSensitive && c.Name == ScriptedGatewayFixture.SensitiveConfig);
        Assert.Contains(configs.SelectMany(c => c.Synonyms), s => s.Name == "log.retention.hours");
    }
}
