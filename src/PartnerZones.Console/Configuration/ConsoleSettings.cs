using PartnerZones.ControlPlane.Security;

namespace PartnerZones.ControlPlane.Configuration;

/// <summary>The loaded configuration plus values derived once at start.</summary>
public sealed class ConsoleSettings(ConsoleConfig config, TimeSpan? failedLoginDelay = null)
{
    public ConsoleConfig Config { get; } = config;

    /// <summary>How long a failed admin login waits before answering.</summary>
    public TimeSpan FailedLoginDelay { get; } = failedLoginDelay ?? TimeSpan.FromMilliseconds(500);

    /// <summary>Checked against when the user name is unknown, so that costs the same as a wrong password.</summary>
    public string DecoyHash { get; } = PasswordHash.Hash(Guid.NewGuid().ToString());
}
