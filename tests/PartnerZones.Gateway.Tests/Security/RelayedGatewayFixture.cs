using PartnerZones.Testing;
using System.Net;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// A gateway whose every port sits behind a recording relay, so a real client's whole session can be
/// inspected. The gateway binds 127.0.0.1 and advertises 127.0.0.2, where the relays listen (still
/// loopback): clients reach every broker port through a relay, as they would reach a gateway behind a
/// load balancer, and 127.0.0.1 — the upstream's host — has no reason to appear in anything they receive.
/// </summary>
public sealed class RelayedGatewayFixture : IAsyncLifetime
{
    public const string AdvertisedHost = "127.0.0.2";

    private readonly List<RecordingRelay> _relays = [];

    public GatewayFixture Base { get; } = new();

    public GatewayHost Gateway { get; private set; } = null!;

    internal BackingClusterState Backing { get; private set; } = null!;

    internal IReadOnlyList<RecordingRelay> Relays => _relays;

    public string BootstrapServers => $"{AdvertisedHost}:{Gateway.Runtime.Brokers.BootstrapPort}";

    public async Task InitializeAsync()
    {
        await Base.InitializeAsync();
        Backing = await BackingClusterState.CreateAsync(Base.Cluster);

        var nodes = Base.Gateway.Runtime.Brokers.NodeIds.ToList();
        var basePort = LoopbackPorts.FreeRange(1 + nodes.Max() + 1, IPAddress.Loopback, IPAddress.Parse(AdvertisedHost));
        var config = Base.Gateway.Runtime.Config with
        {
            Spec = Base.Gateway.Runtime.Spec with
            {
                Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1, AdvertisedHost = AdvertisedHost },
            },
        };
        Gateway = await GatewayHost.StartAsync(config, Base.Gateway.Runtime.State);

        foreach (var port in nodes.Select(Gateway.Runtime.Brokers.GatewayPort).Prepend(basePort))
        {
            _relays.Add(new RecordingRelay(new IPEndPoint(IPAddress.Parse(AdvertisedHost), port), new IPEndPoint(IPAddress.Loopback, port)));
        }
    }

    public Confluent.Kafka.ClientConfig Partner() => new(Base.Partner())
    {
        BootstrapServers = BootstrapServers,
    };

    public async Task DisposeAsync()
    {
        foreach (var relay in _relays)
        {
            await relay.DisposeAsync();
        }

        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (Backing is not null)
        {
            await Backing.DisposeAsync();
        }

        await Base.DisposeAsync();
    }
}
