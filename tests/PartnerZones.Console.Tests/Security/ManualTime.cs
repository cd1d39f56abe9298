namespace PartnerZones.ControlPlane.Tests.Security;

/// <summary>A clock the test moves by hand, for session lifetimes and failure windows without sleeping.
/// Timers and delays still run on the real clock (the base class's), so nothing waits on this one.</summary>
public sealed class ManualTime : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
