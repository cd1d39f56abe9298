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
}
