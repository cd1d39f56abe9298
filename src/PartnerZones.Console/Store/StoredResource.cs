namespace PartnerZones.ControlPlane.Store;

/// <summary>One row of desired state. <see cref="Spec"/> and <see cref="Labels"/> are canonical JSON, so
/// equal text means an equal resource.</summary>
public sealed record StoredResource(
    string Kind,
    string Name,
    Guid Id,
    string? Labels,
    string Spec,
    string Status,
    string? FailedReason,
    DateTimeOffset UpdatedAt,
    long Generation);

/// <summary>The statuses a resource moves through.</summary>
public static class ResourceStatus
{
    /// <summary>Written, not yet confirmed by a reconciler.</summary>
    public const string Pending = "PENDING";

    public const string Ready = "READY";

    public const string Failed = "FAILED";

    /// <summary>Deleted in the console, still served by its gateway until the gateway confirms the removal
    /// (DESIGN §12): the row stays, with the reason in failedReason while the gateway refuses or cannot be
    /// reached, and only the reconciler removes it.</summary>
    public const string Deleting = "DELETING";

    /// <summary>The failedReason prefix of a zone whose removal the gateway has not confirmed yet.</summary>
    public const string DeletionPendingPrefix = "Deletion pending: ";
}
