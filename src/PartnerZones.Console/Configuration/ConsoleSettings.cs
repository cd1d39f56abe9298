using PartnerZones.ControlPlane.Security;

namespace PartnerZones.ControlPlane.Configuration;

/// <summary>The loaded configuration plus values derived once at start (tests may override some).</summary>
public sealed class ConsoleSettings(ConsoleConfig config, TimeSpan? failedLoginDelay = null, TimeSpan? sessionIdleTimeout = null, TimeSpan? sessionLifetime = null)
{
    public ConsoleConfig Config { get; } = config;

    /// <summary>How long a failed admin login waits before answering, before it grows with repeated failures.</summary>
    public TimeSpan FailedLoginDelay { get; } = failedLoginDelay ?? TimeSpan.FromMilliseconds(500);

    /// <summary>A web session ends after this long without a request (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; } = sessionIdleTimeout ?? TimeSpan.FromMinutes(config.Spec.Sessions.IdleMinutes);

    /// <summary>A web session ends this long after sign-in, however active.</summary>
    public TimeSpan SessionLifetime { get; } = sessionLifetime ?? TimeSpan.FromHours(config.Spec.Sessions.LifetimeHours);

    /// <summary>Checked against when the user name is unknown, so that costs the same as a wrong password.</summary>
    public string DecoyHash { get; } = PasswordHash.Hash(Guid.NewGuid().ToString());
}
