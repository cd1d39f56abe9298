using System.Globalization;
using System.Net;

namespace PartnerZones.Cli;

/// <summary>Parses a server's <c>HOST:PORT</c>. The host must be a concrete address of this machine,
/// because servers also tell clients to connect to it; <c>localhost</c> means 127.0.0.1.</summary>
public static class ListenAddress
{
    public static bool TryParse(string text, out IPEndPoint? endpoint, out string? error)
    {
        endpoint = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' is not HOST:PORT; write it as, for example, 127.0.0.1:9092";
            return false;
        }

        var hostText = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            error = $"'{portText}' in '{text}' is not a port; use a number from 0 to 65535 (0 picks free ports)";
            return false;
        }

        if (hostText.StartsWith('[') && hostText.EndsWith(']'))
        {
            hostText = hostText[1..^1];
        }

        IPAddress? address;
        if (string.Equals(hostText, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(hostText, out address))
        {
            error = $"'{hostText}' in '{text}' is not an IP address; use a literal address such as 127.0.0.1";
            return false;
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            error = $"'{text}' listens on every interface, but clients are also told to connect to this address; give one address, such as 127.0.0.1";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        error = null;
        return true;
    }
}
