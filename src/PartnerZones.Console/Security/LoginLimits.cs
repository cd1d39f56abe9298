namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// How much failed authentication the console accepts before it answers 429. Passwords are what people
/// pick, so their budgets are small; API keys are 256 random bits and cannot be guessed, so theirs only
/// stops one address from hammering the store with lookups. The numbers are documented in
/// docs/console.md ("Authentication model"); tests may change them.
/// </summary>
public sealed record LoginLimits
{
    /// <summary>Failed admin passwords (web sign-in and HTTP Basic together) one client address may send per <see cref="Window"/>.</summary>
    public int PasswordFailuresPerSource { get; init; } = 10;

    /// <summary>Failed passwords for one user name, from anywhere, per <see cref="Window"/>; larger than the
    /// per-address budget so guessing from one address cannot lock the admin out of every other one.</summary>
    public int PasswordFailuresPerUser { get; init; } = 30;

    /// <summary>Unknown or revoked API keys one client address may send per <see cref="Window"/>.</summary>
    public int ApiKeyFailuresPerSource { get; init; } = 100;

    /// <summary>A budget starts with its first failure and is full again this long after it.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A failed password answers after the base delay times the address's failures so far, up to this many times it.</summary>
    public int MaxDelayFactor { get; init; } = 10;

    /// <summary>Password hashes computed at once; each takes a core for about a tenth of a second.</summary>
    public int ConcurrentPasswordChecks { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>How long a password check waits for a free slot before the console answers 503.</summary>
    public TimeSpan PasswordCheckQueueTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Addresses and names tracked at once; expired budgets are dropped first, so memory stays bounded.</summary>
    public int MaxTrackedBudgets { get; init; } = 10_000;
}
