using System.Net;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>Points every broker address in a response at the port that stands for that broker, so a
/// client that follows the addresses stays on the scripted broker instead of reaching the real nodes.</summary>
internal static class BrokerAddressRewriter
{
    /// <summary>True for the responses that carry broker addresses at this version.</summary>
    public static bool CarriesAddresses(short apiKey, short version) => apiKey switch
    {
        MetadataRequest.Key or FindCoordinatorRequest.Key or DescribeClusterRequest.Key => true,
        ProduceRequest.Key => version >= 10,
        FetchRequest.Key => version >= 16,
        _ => false,
    };

    /// <summary>Rewrites in place; <paramref name="portFor"/> maps a real (host, port) to the local one.</summary>
    public static void Rewrite(IKafkaResponse response, short version, Func<string, int, IPEndPoint> portFor)
    {
        switch (response)
        {
            case MetadataResponse metadata:
                foreach (var broker in metadata.Brokers)
                {
                    (broker.Host, broker.Port) = Map(broker.Host, broker.Port, portFor);
                }

                break;
            case FindCoordinatorResponse coordinator when version < 4:
                // An error answer carries no coordinator (node -1, empty host): nothing to point anywhere.
                if (coordinator.NodeId >= 0 && coordinator.Host.Length > 0)
                {
                    (coordinator.Host, coordinator.Port) = Map(coordinator.Host, coordinator.Port, portFor);
                }

                break;
            case FindCoordinatorResponse batched:
                foreach (var coordinator in batched.Coordinators.Where(c => c.NodeId >= 0 && c.Host.Length > 0))
                {
                    (coordinator.Host, coordinator.Port) = Map(coordinator.Host, coordinator.Port, portFor);
                }

                break;
            case DescribeClusterResponse cluster:
                foreach (var broker in cluster.Brokers)
                {
                    (broker.Host, broker.Port) = Map(broker.Host, broker.Port, portFor);
                }

                break;
            case ProduceResponse produce:
                foreach (var node in produce.NodeEndpoints)
                {
                    (node.Host, node.Port) = Map(node.Host, node.Port, portFor);
                }

                break;
            case FetchResponse fetch:
                foreach (var node in fetch.NodeEndpoints)
                {
                    (node.Host, node.Port) = Map(node.Host, node.Port, portFor);
                }

                break;
        }
    }

    private static (string Host, int Port) Map(string host, int port, Func<string, int, IPEndPoint> portFor)
    {
        var local = portFor(host, port);
        return (local.Address.ToString(), local.Port);
    }
}
