using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Security;

/// <summary>TLS (1.2+) for the gateway's own connections to the backing cluster: the broker's certificate
/// must chain to <c>spec.upstream.sslCaFile</c> (or the system's store) and name the host connected to.</summary>
public static class UpstreamTls
{
    public static async Task<Stream> WrapAsync(Stream inner, string host, UpstreamConfig config, CancellationToken cancellationToken)
    {
        X509Certificate2Collection? authorities = null;
        if (config.SslCaFile is { } file)
        {
            authorities = [];
            authorities.ImportFromPemFile(file);
        }

        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        if (authorities is not null)
        {
            // Trust exactly the configured authorities (custom root trust), and still check names and dates.
            options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(authorities);
        }

        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch (AuthenticationException e)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"TLS with the backing cluster at {host} failed: {e.Message} Check spec.upstream.sslCaFile.", e);
        }
    }
}
