namespace PartnerZones.Gateway.Security;

/// <summary>The SASL mechanisms partners and admins may log in with.</summary>
public static class SaslMechanisms
{
    public const string Plain = "PLAIN";
    public const string ScramSha256 = "SCRAM-SHA-256";
    public const string ScramSha512 = "SCRAM-SHA-512";

    public static IReadOnlyList<string> All { get; } = [Plain, ScramSha256, ScramSha512];

    public static IReadOnlyList<string> Scram { get; } = [ScramSha256, ScramSha512];

    public static bool IsKnown(string mechanism) => All.Contains(mechanism, StringComparer.Ordinal);

    public static bool IsScram(string mechanism) => mechanism is ScramSha256 or ScramSha512;
}
