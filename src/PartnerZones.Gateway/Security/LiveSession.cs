namespace PartnerZones.Gateway.Security;

/// <summary>
/// An authenticated client connection as the rest of the gateway sees it: who, with which credential,
/// until when (credential expiry or the longest session lifetime), and how to end it. Re-authentication
/// (KIP-368) swaps the credential and the deadline; the principal never changes.
/// </summary>
public sealed class LiveSession(Principal principal, string mechanism, string? clientAddress, Action<string> close)
{
    private string _credentialId = principal.CredentialId;
    private long _deadlineTicks = long.MaxValue;
    private int _closed;

    public Principal Principal { get; } = principal;

    public string Mechanism { get; } = mechanism;

    public string? ClientAddress { get; } = clientAddress;

    public string? ClientId { get; set; }

    public string CredentialId => Volatile.Read(ref _credentialId);

    /// <summary>When the session ends unless the client re-authenticates; null: never.</summary>
    public DateTimeOffset? Deadline
    {
        get
        {
            var ticks = Interlocked.Read(ref _deadlineTicks);
            return ticks == long.MaxValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public void Renew(string credentialId, DateTimeOffset? deadline)
    {
        Volatile.Write(ref _credentialId, credentialId);
        Interlocked.Exchange(ref _deadlineTicks, deadline?.UtcTicks ?? long.MaxValue);
    }

    /// <summary>Closes the connection once; true for the call that did it.</summary>
    public bool Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        close(reason);
        return true;
    }
}
