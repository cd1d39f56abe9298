using System.Net;
using System.Net.Sockets;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>A run of consecutive free ports on 127.0.0.1 for the gateway's bootstrap port and its broker ports.</summary>
internal static class FreePorts
{
    public static int FreeRange(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            // Below Linux's ephemeral range (32768+), where the kernel hands out client ports, so none of
            // this run's own connections can take a port between this check and the gateway's bind.
            var start = Random.Shared.Next(20000, 32000 - count);
            if (Enumerable.Range(start, count).All(IsFree))
            {
                return start;
            }
        }

        throw new IOException($"No run of {count} free ports found on 127.0.0.1 between 20000 and 32000.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
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
