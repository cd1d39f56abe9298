using Confluent.Kafka;
using PartnerZones.Gateway.Tests.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// "Auto-creation never happens", shown where it could: the upstream cluster auto-creates topics (as the
/// README's `pz kafka --auto-create-topics` does) and the zone's backing topic does not exist yet. Whatever
/// a partner asks for — its aliases, the backing name, a new name — by Metadata at every offered version
/// or by producing, no topic appears upstream. (The other gateway tests run against clusters that never
/// auto-create, where this would hold whatever the gateway did.)
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class AutoCreationTests
{
    private static readonly string[] Names = ["topic-a", "topic-b", GatewayFixture.BackingTopic, "brand-new-topic"];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Partner_clients_never_make_the_upstream_create_a_topic(int nodes)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(nodes, autoCreateTopics: true, createBackingTopic: false);

        // The control: this cluster does create a topic for a direct client that asks for one.
        using (var direct = new AdminClientBuilder(gateway.Upstream.Config<AdminClientConfig>()).Build())
        {
            direct.GetMetadata("control-topic", TimeSpan.FromSeconds(20));
        }

        Assert.Equal(["control-topic"], gateway.UpstreamTopics());

        using (var admin = new AdminClientBuilder(gateway.Partner.Config<AdminClientConfig>()).Build())
        {
            var all = admin.GetMetadata(TimeSpan.FromSeconds(20));
            Assert.All(all.Topics, t => Assert.Equal(ErrorCode.UnknownTopicOrPart, t.Error.Code));
            foreach (var name in Names)
            {
                var topic = Assert.Single(admin.GetMetadata(name, TimeSpan.FromSeconds(20)).Topics);
                Assert.Equal(ErrorCode.UnknownTopicOrPart, topic.Error.Code);
            }
        }

        var config = gateway.Partner.Config<ProducerConfig>();
        config.MessageTimeoutMs = 5000;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            foreach (var name in Names)
            {
                await Assert.ThrowsAsync<ProduceException<string, string>>(() => producer.ProduceAsync(name, new Message<string, string> { Key = "k", Value = "v" }));
            }
        }

        Assert.Equal(["control-topic"], gateway.UpstreamTopics());
    }

    /// <summary>Metadata from v4 on carries allow_auto_topic_creation; the partner asks for it, and the
    /// gateway must not pass that on.</summary>
    [Fact]
    public Task Metadata_v4_and_later_never_make_the_upstream_create_a_topic() => MetadataVersionsCreateNothingAsync(4, short.MaxValue);

    /// <summary>Before v4 Kafka reads every Metadata request as allowing auto-creation, so the gateway must
    /// not forward these versions as they are.</summary>
    [Fact]
    public Task Metadata_v0_to_v3_never_make_the_upstream_create_a_topic() => MetadataVersionsCreateNothingAsync(0, 3);

    /// <summary>Every offered Metadata version in [from, to], asking for the aliases, the backing name and
    /// a new name with auto-creation allowed. Whatever a version creates is deleted again before the next,
    /// so each version is judged on its own.</summary>
    private static async Task MetadataVersionsCreateNothingAsync(short from, short to)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(1, autoCreateTopics: true, createBackingTopic: false);
        await using var client = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var offer = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "auto-create-test", ClientSoftwareVersion = "1" }, 3);
        var range = Assert.Single(offer.ApiKeys, k => k.ApiKey == MetadataRequest.Key);
        var (first, last) = (Math.Max(from, range.MinVersion), Math.Min(to, range.MaxVersion));
        Assert.True(first <= last, $"No Metadata version between {from} and {to} is offered ({range.MinVersion}-{range.MaxVersion}).");

        var problems = new List<string>();
        using var upstreamAdmin = new AdminClientBuilder(gateway.Upstream.Config<AdminClientConfig>()).Build();
        for (var version = (short)first; version <= last; version++)
        {
            var response = await client.SendAsync<MetadataResponse>(
                new MetadataRequest { Topics = [.. Names.Select(n => new MetadataRequest.MetadataRequestTopic { Name = n })], AllowAutoTopicCreation = true },
                version);
            Assert.Equal(Names, response.Topics.Select(t => t.Name));
            if (response.Topics.Where(t => t.ErrorCode != IsolationProbes.UnknownTopicOrPartition).Select(t => t.Name).ToList() is { Count: > 0 } found)
            {
                problems.Add($"v{version} answered {string.Join(", ", found)} as existing");
            }

            if (gateway.UpstreamTopics() is { Count: > 0 } created)
            {
                problems.Add($"v{version} created {string.Join(", ", created)} upstream");
                await upstreamAdmin.DeleteTopicsAsync(created);
                await WaitUntilAsync(() => gateway.UpstreamTopics().Count == 0, TimeSpan.FromSeconds(30));
            }
        }

        Assert.True(problems.Count == 0, "Partner Metadata requests: " + string.Join("; ", problems));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The upstream still lists the created topics.");
            await Task.Delay(200);
        }
    }
}
