namespace PartnerZones.Cli.Client;

/// <summary>Stops a client command with one clear line on standard error and a non-zero exit code.</summary>
internal sealed class CliFailure(string message, int exitCode = CliFailure.Failed) : Exception(message)
{
    /// <summary>The console refused, could not be reached, or a resource failed.</summary>
    public const int Failed = 1;

    public int ExitCode { get; } = exitCode;
}
