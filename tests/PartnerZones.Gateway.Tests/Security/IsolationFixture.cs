using System.Net;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>The gateway fixture (example zone in front of an embedded cluster) plus the backing-cluster
/// state outside the zone that partners must never see or touch, and what the gateway offers the
/// partner once authenticated.</summary>
public sealed class IsolationFixture : IAsyncLifetime
{
    private IReadOnlyDictionary<short, (short Min, short Max)>? _partnerOffer;

    /// <summary>The upstream serves the consumer group protocol (KIP-848) too, so that its APIs are
    /// offered to partners and probed like every other.</summary>
    public GatewayFixture Gateway { get; } = new ConsumerProtocolUpstream();

    internal BackingClusterState Backing { get; private set; } = null!;

    internal LeakScanner Scanner { get; private set; } = null!;

    internal IPEndPoint Bootstrap => IPEndPoint.Parse(Gateway.Gateway.BootstrapServers);

    /// <summary>The APIs and version ranges of ApiVersions asked again after logging in as the partner.</summary>
    internal IReadOnlyDictionary<short, (short Min, short Max)> PartnerOffer => _partnerOffer!;

    public async Task InitializeAsync()
    {
        await Gateway.InitializeAsync();
        Backing = await BackingClusterState.CreateAsync(Gateway.Cluster);
        Scanner = Backing.Scanner();
        await using var client = await PartnerAsync();
        var offer = await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "security-tests", ClientSoftwareVersion = "1" }, 3);
        Assert.Equal(0, offer.ErrorCode);
        _partnerOffer = offer.ApiKeys.ToDictionary(k => k.ApiKey, k => (k.MinVersion, k.MaxVersion));
    }

    /// <summary>A raw connection to the bootstrap port, logged in as the partner johndoe.</summary>
    internal async Task<KafkaWireClient> PartnerAsync()
    {
        var client = await KafkaWireClient.ConnectAsync(Bootstrap, "partner-raw-client");
        try
        {
            await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    internal bool IsOffered(short apiKey, short version) =>
        PartnerOffer.TryGetValue(apiKey, out var range) && version >= range.Min && version <= range.Max;

    public async Task DisposeAsync()
    {
        if (Backing is not null)
        {
            await Backing.DisposeAsync();
        }

        await Gateway.DisposeAsync();
    }

    private sealed class ConsumerProtocolUpstream() : GatewayFixture(1, cluster: o => o with { ConsumerGroupProtocol = true });
}
