using System.Net;
using System.Net.Sockets;

namespace PartnerZones.Cli.Dev;

/// <summary>Checks every port before anything starts, so a taken port is one line naming it and its flag
/// rather than a half-started set of servers.</summary>
internal static class DevPorts
{
    public static string? Problem(DevOptions options)
    {
        var seen = new Dictionary<int, string>();
        foreach (var (port, flag) in options.Ports)
        {
            if (seen.TryGetValue(port, out var other))
            {
                return $"port {port} is given to both {other} and {flag}; give each its own port.";
            }

            seen[port] = flag;
        }

        foreach (var (port, flag) in options.Ports)
        {
            if (IsTaken(port))
            {
                return InUse(port, flag);
            }
        }

        return null;
    }

    public static string InUse(int port, string flag) =>
        $"{DevOptions.Host}:{port} is already in use; stop what listens there or choose another port with {flag.Split(' ')[0]}.";

    /// <summary>The flag of the first port that is taken now (after a server failed to bind), or null.</summary>
    public static (int Port, string Flag)? FirstTaken(DevOptions options, IEnumerable<int> among) =>
        options.Ports.Where(p => among.Contains(p.Port)).Cast<(int, string)?>().FirstOrDefault(p => IsTaken(p!.Value.Item1));

    private static bool IsTaken(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Parse(DevOptions.Host), port));
            probe.Listen();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            // Another problem (privileges): the server's own bind reports it.
            return false;
        }
    }
}
