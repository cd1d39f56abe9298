using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Security;

/// <summary>The server certificate of a SASL_SSL listener, read from a PEM certificate (chain) and key.</summary>
public static class ListenerCertificate
{
    public static X509Certificate2 Load(TlsConfig tls)
    {
        using var pem = X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile);
        // A PEM key is ephemeral; a round trip through PKCS#12 gives TLS a key it can always use.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Why the files cannot serve as a TLS certificate, or null when they can.</summary>
    public static string? Problem(TlsConfig tls)
    {
        foreach (var (field, path) in new[] { ("certificateFile", tls.CertificateFile), ("keyFile", tls.KeyFile) })
        {
            if (!File.Exists(path))
            {
                return $"{field} '{path}' does not exist; point it at a PEM file";
            }
        }

        try
        {
            using var certificate = Load(tls);
            return certificate.HasPrivateKey ? null : "keyFile holds no private key for the certificate";
        }
        catch (CryptographicException e)
        {
            return $"certificateFile and keyFile do not form a usable certificate and key ({e.Message}); both must be PEM and belong together";
        }
    }
}
