using System.Net;
using System.Net.Sockets;

namespace PartnerZones.Testing;

/// <summary>Runs of consecutive free ports, e.g. for a gateway's bootstrap port followed by its broker ports,
/// or the nodes of a `pz kafka` process.</summary>
public static class LoopbackPorts
{
    /// <summary>A run of <paramref name="count"/> ports free on every one of <paramref name="addresses"/>
    /// (127.0.0.1 when none is given).</summary>
    public static int FreeRange(int count, params IPAddress[] addresses)
    {
        IPAddress[] on = addresses.Length > 0 ? addresses : [IPAddress.Loopback];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // Below Linux's ephemeral range (32768+), so ports the kernel hands to other sockets
            // (clusters and clients of tests running in parallel) cannot land in the range between
            // this check and the bind.
            var start = Random.Shared.Next(20000, 32000 - count);
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
