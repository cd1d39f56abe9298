using PartnerZones.ControlPlane.Configuration;

namespace PartnerZones.ControlPlane.Security;

/// <summary>What an authentication attempt came to; each caller turns it into its own answer (a JSON error,
/// a sign-in page).</summary>
public abstract record LoginOutcome
{
    private LoginOutcome()
    {
    }

    /// <summary>The credentials are right.</summary>
    public sealed record Accepted(AdminUser Admin) : LoginOutcome;

    /// <summary>Wrong credentials: 401.</summary>
    public sealed record Refused : LoginOutcome;

    /// <summary>The address or user name has used its failure budget: 429 with Retry-After; no password was checked.</summary>
    public sealed record Limited(TimeSpan RetryAfter) : LoginOutcome;

    /// <summary>Every password-check slot stayed busy: 503 with Retry-After.</summary>
    public sealed record Busy(TimeSpan RetryAfter) : LoginOutcome;

    /// <summary>Retry-After in whole seconds, rounded up, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
