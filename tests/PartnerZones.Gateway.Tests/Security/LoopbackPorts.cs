using System.Net;
using System.Net.Sockets;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>Runs of consecutive free ports, for a gateway's bootstrap port followed by its broker ports.</summary>
internal static class LoopbackPorts
{
    /// <summary>A run of <paramref name="count"/> ports free on every one of <paramref name="addresses"/>
    /// (127.0.0.1 when none is given).</summary>
    public static int FreeRange(int count, params IPAddress[] addresses)
    {
        IPAddress[] on = addresses.Length > 0 ? addresses : [IPAddress.Loopback];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var start = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (start + count < 65000 && Enumerable.Range(start, count).All(p => on.All(a => IsFree(a, p))))
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
