using System.Collections.Frozen;

namespace PartnerZones.Gateway.Routing;

/// <summary>
/// Upstream brokers by node id, and the gateway port that stands for each: node N is reached on
/// <c>BrokerPortBase + N</c>. Every broker address a client receives is rewritten through this map,
/// so no upstream host or port ever reaches a partner.
/// </summary>
public sealed class BrokerMap(IReadOnlyDictionary<int, (string Host, int Port)> upstream, string advertisedHost, int brokerPortBase, int bootstrapPort)
{
    private readonly FrozenDictionary<int, (string Host, int Port)> _upstream = upstream.ToFrozenDictionary();

    public string AdvertisedHost { get; } = advertisedHost;

    public int BootstrapPort { get; } = bootstrapPort;

    public IEnumerable<int> NodeIds => _upstream.Keys.Order();

    public int GatewayPort(int nodeId) => brokerPortBase + nodeId;

    /// <summary>The node a gateway port stands for, or null for the bootstrap port.</summary>
    public int? NodeForPort(int port) => port == BootstrapPort ? null : port - brokerPortBase;

    public (string Host, int Port)? Upstream(int nodeId) => _upstream.TryGetValue(nodeId, out var address) ? address : null;

    /// <summary>Any upstream broker, for connections on the bootstrap port.</summary>
    public (string Host, int Port) AnyUpstream(int seed) => _upstream.Values.ElementAt((int)((uint)seed % (uint)_upstream.Count));
}
