namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>How often the reconciler looks and how it backs off; production uses the defaults, tests
/// shorten them.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>False runs the console without deploying anything (zones stay PENDING); for tests of the
    /// API alone.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The periodic pass that finds drift (a gateway that lost or changed a zone) when no write
    /// woke the reconciler.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after a first failure; it doubles with each further failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before attempt number <paramref name="failures"/> + 1.</summary>
    public TimeSpan Backoff(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var wait = MinBackoff * Math.Pow(2, doublings);
        return wait < MaxBackoff ? wait : MaxBackoff;
    }
}
