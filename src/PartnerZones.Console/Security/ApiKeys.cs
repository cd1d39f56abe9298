using System.Security.Cryptography;
using System.Text;

namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// API keys are 256 random bits, shown once as <c>pzk_</c> + base64url and stored only as a SHA-256 hex
/// digest. A key that random cannot be guessed or brute-forced from its hash, so a fast unsalted hash is
/// enough and lets each request find its key with one indexed lookup. The prefix makes a leaked key easy
/// to recognise in logs and secret scanners.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "pzk_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
