using System.Net.Sockets;
using PartnerZones.Gateway.Routing;

namespace PartnerZones.Gateway.Network;

/// <summary>
/// Readiness: whether partners sent to this gateway now could be served, which needs an upstream broker
/// that accepts connections. Liveness only says the process runs; a load balancer that trusted it alone
/// would keep sending partners to a gateway whose cluster is gone. Every known broker is tried at once,
/// so one node being down does not make the answer slow.
/// </summary>
internal static class UpstreamReachability
{
    public static async Task<bool> AnyBrokerAcceptsAsync(BrokerMap brokers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        var connects = brokers.NodeIds
            .Select(node => brokers.Upstream(node))
            .OfType<(string Host, int Port)>()
            .Select(address => ConnectsAsync(address.Host, address.Port, attempt.Token))
            .ToList();
        while (connects.Count > 0)
        {
            var done = await Task.WhenAny(connects).ConfigureAwait(false);
            if (await done.ConfigureAwait(false))
            {
                return true;
            }

            connects.Remove(done);
        }

        return false;
    }

    private static async Task<bool> ConnectsAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
