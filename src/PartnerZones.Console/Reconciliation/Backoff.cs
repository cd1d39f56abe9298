namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// The failures of one zone (or one cluster) since its last success, for back-off. <see cref="Key"/> names
/// what was tried (the zone's generation and its cluster's); a different key means someone changed
/// something, so the next attempt is due at once whatever the back-off said.
/// </summary>
internal sealed record Backoff(string Key, int Failures, long DueAtMs, string Reason)
{
    /// <summary>Never due again for the same key: a person must change the resource first.</summary>
    public const long Never = long.MaxValue;

    /// <summary>The record after one more failure of <paramref name="key"/>.</summary>
    public static Backoff After(Backoff? previous, string key, GatewayAdminException failure, ReconcilerOptions options, long nowMs)
    {
        var failures = previous is not null && previous.Key == key ? previous.Failures + 1 : 1;
        var due = failure.Retriable ? nowMs + (long)options.Backoff(failures).TotalMilliseconds : Never;
        return new Backoff(key, failures, due, failure.Reason);
    }

    /// <summary>True while an attempt of <paramref name="key"/> must wait.</summary>
    public bool Waiting(string key, long nowMs) => Key == key && nowMs < DueAtMs;
}
