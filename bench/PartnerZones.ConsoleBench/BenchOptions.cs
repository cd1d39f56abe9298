using PartnerZones.ControlPlane;

namespace PartnerZones.ConsoleBench;

/// <summary>The console as production runs it, but without the failed-login delay.</summary>
internal static class BenchOptions
{
    public static ConsoleHostOptions Create() => new() { FailedLoginDelay = TimeSpan.FromMilliseconds(10) };
}
