using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

/// <summary>Replaces every broker address in a response with the gateway's own (advertised host, the
/// port that stands for that node), and the upstream cluster id with the gateway's.</summary>
internal static class AddressRewriter
{
    public static void Rewrite(GatewayRuntime runtime, MetadataResponse response)
    {
        var map = runtime.Brokers;
        foreach (var broker in response.Brokers)
        {
            broker.Host = map.AdvertisedHost;
            broker.Port = map.GatewayPort(broker.NodeId);
            broker.Rack = null;
        }

        response.ClusterId = runtime.ClusterId;
    }

    public static void Rewrite(GatewayRuntime runtime, DescribeClusterResponse response)
    {
        var map = runtime.Brokers;
        foreach (var broker in response.Brokers)
        {
            broker.Host = map.AdvertisedHost;
            broker.Port = map.GatewayPort(broker.BrokerId);
            broker.Rack = null;
        }

        response.ClusterId = runtime.ClusterId;
    }

    public static void Rewrite(GatewayRuntime runtime, FindCoordinatorResponse response)
    {
        var map = runtime.Brokers;
        if (response.NodeId >= 0)
        {
            response.Host = map.AdvertisedHost;
            response.Port = map.GatewayPort(response.NodeId);
        }

        foreach (var coordinator in response.Coordinators)
        {
            if (coordinator.NodeId >= 0)
            {
                coordinator.Host = map.AdvertisedHost;
                coordinator.Port = map.GatewayPort(coordinator.NodeId);
            }
        }
    }

    public static void Rewrite(GatewayRuntime runtime, ProduceResponse response)
    {
        foreach (var endpoint in response.NodeEndpoints)
        {
            endpoint.Host = runtime.Brokers.AdvertisedHost;
            endpoint.Port = runtime.Brokers.GatewayPort(endpoint.NodeId);
            endpoint.Rack = null;
        }
    }

    public static void Rewrite(GatewayRuntime runtime, FetchResponse response)
    {
        foreach (var endpoint in response.NodeEndpoints)
        {
            endpoint.Host = runtime.Brokers.AdvertisedHost;
            endpoint.Port = runtime.Brokers.GatewayPort(endpoint.NodeId);
            endpoint.Rack = null;
        }
    }
}
