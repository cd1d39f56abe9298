using Confluent.Kafka;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>What every client must see of the example zone through the gateway, and the checks an
/// administrator makes on the backing cluster behind it.</summary>
internal static class ZoneExpectations
{
    public const string WriteAlias = "topic-a";
    public const string ReadAlias = "topic-b";
    public const short TopicAuthorizationFailed = 29;

    /// <summary>A listing as a client reported it: exactly the zone's two aliases with the backing topic's
    /// partitions, led by every gateway broker, and broker addresses that are the gateway's, never upstream's.</summary>
    public static void AssertListing(GatewayFixture gateway, IReadOnlyDictionary<string, int> topics, IReadOnlyDictionary<string, int[]> leaders, IReadOnlyCollection<string> brokers)
    {
        Assert.Equal(
            new Dictionary<string, int> { [WriteAlias] = GatewayFixture.BackingPartitions, [ReadAlias] = GatewayFixture.BackingPartitions },
            topics);
        var nodes = gateway.Cluster.EndPoints.Count;
        var expectedLeaders = Enumerable.Range(0, Math.Min(nodes, GatewayFixture.BackingPartitions)).ToArray();
        Assert.All([WriteAlias, ReadAlias], alias => Assert.Equal(expectedLeaders, leaders[alias].Order()));

        var gatewayBrokers = gateway.Gateway.Runtime.Brokers;
        var expectedBrokers = gatewayBrokers.NodeIds.Select(n => $"{gatewayBrokers.AdvertisedHost}:{gatewayBrokers.GatewayPort(n)}");
        Assert.Equal(expectedBrokers.Order(StringComparer.Ordinal), brokers.Order(StringComparer.Ordinal));
    }

    /// <summary>The upstream group id a partner's group gets: the zone's prefix before it.</summary>
    public static string UpstreamGroup(string group) => $"pz.{GatewayFixture.ZoneName}.{group}";

    /// <summary>The upstream group holding a non-primary alias's offsets for a partner's group.</summary>
    public static string ShadowGroup(string alias, string group) => $"pz~{GatewayFixture.ZoneName}~{alias}~{group}";

    /// <summary>A partner's group that consumed the read alias is known upstream only under its zone's ids,
    /// never its bare id, with offsets on the backing topic adding up to <paramref name="count"/>. They are
    /// in topic-b's shadow group: topic-b is not the first alias of kafka-topic-a, so its offsets are kept
    /// apart from topic-a's (docs/gateway-security.md, "Committed offsets per alias"), and nothing was
    /// committed for topic-a in the group itself.</summary>
    public static async Task AssertCommittedUpstreamAsync(GatewayFixture gateway, string group, int count)
    {
        Assert.Equal(count, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, ShadowGroup(ReadAlias, group), GatewayFixture.BackingTopic));
        Assert.Equal(0, await ReferenceClient.CommittedTotalAsync(gateway.UpstreamEndpoint, UpstreamGroup(group), GatewayFixture.BackingTopic));
        using var admin = new AdminClientBuilder(gateway.UpstreamEndpoint.Config<AdminClientConfig>()).Build();
        var groups = (await admin.ListConsumerGroupsAsync()).Valid.Select(g => g.GroupId).ToList();
        Assert.Contains(ShadowGroup(ReadAlias, group), groups);
        Assert.DoesNotContain(group, groups);
    }

    /// <summary>Every record now in the backing topic, read directly from the cluster.</summary>
    public static List<ClientRecord> Backing(GatewayFixture gateway) =>
        ReferenceClient.ReadAll(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic);

    public static IReadOnlyDictionary<int, int> BackingLeaders(GatewayFixture gateway) =>
        ReferenceClient.Leaders(gateway.UpstreamEndpoint, GatewayFixture.BackingTopic);
}
