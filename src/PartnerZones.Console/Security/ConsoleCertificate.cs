using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PartnerZones.ControlPlane.Configuration;

namespace PartnerZones.ControlPlane.Security;

/// <summary>Loads the certificate of <c>spec.tls</c>: a PKCS#12 file (by its .pfx/.p12 extension) or a PEM
/// certificate with its PEM key. The configuration loader calls <see cref="Problem"/> so a file that cannot
/// be used is reported with the other configuration errors, before anything listens.</summary>
public static class ConsoleCertificate
{
    public static X509Certificate2 Load(TlsConfig tls)
    {
        var extension = Path.GetExtension(tls.CertificateFile);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(tls.CertificateFile, tls.Password);
        }

        return tls.Password is { Length: > 0 } password
            ? X509Certificate2.CreateFromEncryptedPemFile(tls.CertificateFile, password, tls.KeyFile)
            : X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile);
    }

    /// <summary>Why the certificate of <paramref name="tls"/> cannot be served, or null when it can.</summary>
    public static string? Problem(TlsConfig tls)
    {
        try
        {
            using var certificate = Load(tls);
            return certificate.HasPrivateKey ? null : "holds no private key";
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"cannot be loaded ({e.Message.TrimEnd('.')})";
        }
    }
}
