using PartnerZones.ControlPlane;
using PartnerZones.ControlPlane.Reconciliation;

namespace PartnerZones.ConsoleBench;

/// <summary>The console as production runs it, without the failed-login delay and without the reconciler:
/// its retries against the bench's unreachable gateway would add their own work to what is measured.</summary>
internal static class BenchOptions
{
    public static ConsoleHostOptions Create() => new()
    {
        FailedLoginDelay = TimeSpan.FromMilliseconds(10),
        Reconciler = new ReconcilerOptions { Enabled = false },
    };
}
