using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Routing;

namespace PartnerZones.Gateway;

/// <summary>What every connection shares: configuration, the current state snapshot, the broker map and
/// the upstream's API versions. State is swapped whole; readers take the reference once per decision.</summary>
public sealed class GatewayRuntime(GatewayConfig config, GatewayState state, BrokerMap brokers, UpstreamApis apis)
{
    private GatewayState _state = state;

    public GatewayConfig Config { get; } = config;

    public GatewaySpec Spec => Config.Spec;

    public BrokerMap Brokers { get; } = brokers;

    public UpstreamApis Apis { get; } = apis;

    /// <summary>Identifies the gateway as a cluster to clients, in place of the upstream cluster id.</summary>
    public string ClusterId => string.IsNullOrEmpty(Config.Metadata.Name) ? "partner-zones-gateway" : Config.Metadata.Name;

    public GatewayState State => Volatile.Read(ref _state);

    public void Swap(GatewayState next) => Volatile.Write(ref _state, next);

    public GatewayMetrics Metrics { get; } = new();

    public TopicIdCatalog TopicIds { get; } = new();
}
