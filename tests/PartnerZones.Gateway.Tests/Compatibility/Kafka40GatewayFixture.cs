using PartnerZones.EmbeddedKafka;
using PartnerZones.Gateway.Tests.Clients;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// The example zone's gateway in front of an embedded cluster that serves only Kafka 4.0's versions, so every
/// old version a test sends reaches the upstream only through the version bridge. The upstream's received
/// versions are recorded from the start (<see cref="Seen"/>), the gateway's own state reader included.
/// </summary>
public sealed class Kafka40GatewayFixture : GatewayFixture
{
    public Kafka40GatewayFixture()
        : this(new UpstreamVersions(), ExampleZone)
    {
    }

    private Kafka40GatewayFixture(UpstreamVersions seen, string zone)
        : base(1, zone, upstreamFrames: seen.Observe, cluster: o => o with { ApiGeneration = KafkaApiGeneration.Kafka40 }) =>
        Seen = seen;

    /// <summary>A started one for a single test, serving johndoe's <paramref name="zone"/> (YAML); disposed by the caller.</summary>
    public static async Task<Kafka40GatewayFixture> StartAsync(string zone)
    {
        var fixture = new Kafka40GatewayFixture(new UpstreamVersions(), zone);
        try
        {
            await fixture.InitializeAsync();
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }

        return fixture;
    }

    public UpstreamVersions Seen { get; }

    /// <summary>Where the principal produces: the partner's WRITE alias, or the backing topic for an admin.</summary>
    public static string WriteTopic(Principal who) => who == Principal.Partner ? ZoneExpectations.WriteAlias : BackingTopic;

    /// <summary>Where the principal reads: the partner's READ alias, or the backing topic for an admin.</summary>
    public static string ReadTopic(Principal who) => who == Principal.Partner ? ZoneExpectations.ReadAlias : BackingTopic;

    /// <summary>A raw connection to the gateway's bootstrap port, logged in as the principal.</summary>
    public async Task<KafkaWireClient> LoggedInAsync(Principal who, string clientId = "old-client")
    {
        var client = await KafkaWireClient.ConnectAsync(Gateway.BootstrapServers, clientId);
        try
        {
            await (who == Principal.Partner ? client.LoginAsync("johndoe", PartnerSecret) : client.LoginAsync("admin", AdminSecret));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>A raw connection to the cluster itself, for an administrator's checks behind the gateway.</summary>
    public Task<KafkaWireClient> DirectAsync() => KafkaWireClient.ConnectAsync(Cluster.EndPoints[0], "backing-check");

    /// <summary>The lowest version of each API the upstream lists in ApiVersions, asked directly.</summary>
    public async Task<IReadOnlyDictionary<short, short>> UpstreamLowestAsync()
    {
        await using var direct = await DirectAsync();
        var versions = await direct.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3);
        Assert.Equal(0, versions.ErrorCode);
        return versions.ApiKeys.ToDictionary(k => k.ApiKey, k => k.MinVersion);
    }

    /// <summary>Fails if the upstream received any version below what it serves (see <see cref="UpstreamVersions"/>).</summary>
    public async Task AssertUpstreamSawOnlyServedVersionsAsync() => Seen.AssertNoneBelow(await UpstreamLowestAsync());
}
