using System.Net;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>
/// kafka-python 2.0.2 (Debian's) guesses a broker's version by sending ApiVersions v0 and, 100 ms later,
/// Metadata v0 "that every broker recognizes". When the gateway refused Metadata v0 by closing the
/// connection, the ApiVersions answer and the close often reached kafka-python in one read, which it
/// treats as a plain disconnect: it then took the gateway for a 0.9 broker, spoke Metadata v0 from then
/// on and hung until its metadata timeout. Metadata v0 is served like any other version.
/// </summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class MetadataV0Tests
{
    [Fact]
    public async Task Metadata_v0_after_api_versions_v0_lists_the_zone_aliases()
    {
        await using var gateway = await GatewayFixture.StartAsync(1);
        using var connection = await KafkaWireClient.ConnectAsync(IPEndPoint.Parse(gateway.Gateway.BootstrapServers));
        Assert.Equal(0, (await connection.LoginPlainAsync("johndoe", GatewayFixture.PartnerSecret, authenticateVersion: 0)).ErrorCode);

        var versions = await connection.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 0);
        var metadataRange = Assert.Single(versions.ApiKeys, k => k.ApiKey == MetadataRequest.Key);
        Assert.Equal(0, metadataRange.MinVersion);

        // v0: an empty topic list means every topic, which for a partner is the zone's aliases.
        var metadata = await connection.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 0);

        Assert.Equal([ZoneExpectations.WriteAlias, ZoneExpectations.ReadAlias], metadata.Topics.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(metadata.Topics, t => Assert.Equal(0, t.ErrorCode));
        Assert.All(metadata.Topics, t => Assert.Equal(GatewayFixture.BackingPartitions, t.Partitions.Count));
        var broker = Assert.Single(metadata.Brokers);
        Assert.Equal(gateway.Gateway.Runtime.Brokers.GatewayPort(broker.NodeId), broker.Port);
    }
}
