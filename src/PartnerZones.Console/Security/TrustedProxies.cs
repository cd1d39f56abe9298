using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// <c>spec.trustedProxies</c>: the only peers whose X-Forwarded-For and X-Forwarded-Proto the console
/// believes. ASP.NET's defaults trust loopback, which would let any local process claim to be https or
/// any client address (and so dodge the per-address sign-in budget); the lists start empty here.
/// </summary>
public static class TrustedProxies
{
    /// <summary>Why <paramref name="entry"/> is not an IP address or a CIDR network, or null when it is one.</summary>
    public static string? Problem(string entry) =>
        IPAddress.TryParse(entry, out _) || (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out _))
            ? null
            : "is not an IP address or a network in CIDR notation";

    public static ForwardedHeadersOptions Options(IEnumerable<string> proxies)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Every hop must be a listed proxy (checked per entry), so a chain of them may be unwound.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in proxies)
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
                if (address.IsIPv4MappedToIPv6 || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    // Kestrel reports an IPv4 peer on a dual-stack socket as ::ffff:a.b.c.d; trust both spellings.
                    options.KnownProxies.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address.MapToIPv6());
                }
            }
            else if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
        }

        return options;
    }
}
