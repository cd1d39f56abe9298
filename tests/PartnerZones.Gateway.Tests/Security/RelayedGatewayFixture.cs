using System.Net;
using System.Net.Sockets;
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
        var basePort = FreePortRange(1 + nodes.Max() + 1);
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

    /// <summary>Consecutive ports free on both loopback addresses the relays and the gateway use.</summary>
    private static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var start = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (start + count < 65000 && Enumerable.Range(start, count).All(p => IsFree(IPAddress.Loopback, p) && IsFree(IPAddress.Parse(AdvertisedHost), p)))
            {
                return start;
            }
        }

        throw new InvalidOperationException("No run of free ports found.");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
