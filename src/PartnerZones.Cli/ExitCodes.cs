namespace PartnerZones.Cli;

/// <summary>Exit codes every `pz` command shares.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command line or the environment it names is unusable (bad flag, port in use, unreadable
    /// directory); the message on standard error says what to change. Nothing was started.</summary>
    public const int Usage = 2;
}
