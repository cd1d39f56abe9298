namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>Wakes the reconciler when desired state changes, so a new zone is deployed at once rather than
/// at the next periodic pass. Notifications coalesce: many writes while the reconciler works mean one more pass.</summary>
public sealed class ReconcileSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due; it will see this change too.
        }
    }

    /// <summary>Waits for a change, or <paramref name="timeout"/> (the periodic drift check); true when a change woke it.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
