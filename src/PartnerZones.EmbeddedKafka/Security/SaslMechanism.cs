namespace PartnerZones.EmbeddedKafka.Security;

/// <summary>The SASL mechanisms the embedded cluster can authenticate with.</summary>
public enum SaslMechanism
{
    Plain,
    ScramSha256,
    ScramSha512,
}

/// <summary>Mechanism names as they travel in SaslHandshake (upper case, as Kafka spells them).</summary>
public static class SaslMechanisms
{
    public const string PlainName = "PLAIN";
    public const string ScramSha256Name = "SCRAM-SHA-256";
    public const string ScramSha512Name = "SCRAM-SHA-512";

    public static IReadOnlyList<string> AllNames { get; } = [PlainName, ScramSha256Name, ScramSha512Name];

    public static string Name(this SaslMechanism mechanism) => mechanism switch
    {
        SaslMechanism.Plain => PlainName,
        SaslMechanism.ScramSha256 => ScramSha256Name,
        SaslMechanism.ScramSha512 => ScramSha512Name,
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
    };

    /// <summary>Exact, case-sensitive match: a handshake names the mechanism exactly as Kafka spells it.</summary>
    public static bool TryParse(string name, out SaslMechanism mechanism)
    {
        switch (name)
        {
            case PlainName:
                mechanism = SaslMechanism.Plain;
                return true;
            case ScramSha256Name:
                mechanism = SaslMechanism.ScramSha256;
                return true;
            case ScramSha512Name:
                mechanism = SaslMechanism.ScramSha512;
                return true;
            default:
                mechanism = default;
                return false;
        }
    }
}
