using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Web;

/// <summary>Zones and clusters as the pages show them, read from the store.</summary>
public sealed class ZoneViews(ConsoleStore store)
{
    private static readonly PartnerZoneRules ZoneRules = new();

    public async Task<IReadOnlyList<ZoneView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(PartnerZone.KindName, cancellationToken).ConfigureAwait(false)).Select(View)];

    public async Task<ZoneView?> GetAsync(string name, CancellationToken cancellationToken) =>
        await store.GetAsync(PartnerZone.KindName, name, cancellationToken).ConfigureAwait(false) is { } stored ? View(stored) : null;

    /// <summary>Clusters with their admin password, for calls to their gateways.</summary>
    public async Task<IReadOnlyList<KafkaCluster>> ClustersAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(KafkaCluster.KindName, cancellationToken).ConfigureAwait(false)).Select(KafkaClusterRules.WithSecrets)];

    public async Task<KafkaCluster?> ClusterAsync(string name, CancellationToken cancellationToken) =>
        await store.GetAsync(KafkaCluster.KindName, name, cancellationToken).ConfigureAwait(false) is { } stored ? KafkaClusterRules.WithSecrets(stored) : null;

    private static ZoneView View(StoredResource stored) => new(
        (PartnerZone)ZoneRules.Show(stored),
        stored.Status,
        stored.FailedReason,
        stored.UpdatedAt,
        stored.Id);
}

/// <summary>A zone with its status as stored.</summary>
public sealed record ZoneView(PartnerZone Zone, string Status, string? FailedReason, DateTimeOffset UpdatedAt, Guid Id)
{
    public string Name => Zone.Metadata.Name;

    public PartnerZoneSpec Spec => Zone.Spec;

    public string Title => string.IsNullOrWhiteSpace(Zone.Spec.DisplayName) ? Zone.Metadata.Name : Zone.Spec.DisplayName!;
}

/// <summary>What the script polls to update status badges without a reload.</summary>
public sealed record ZoneStatus(string Name, string Status, string Label, string? FailedReason, DateTimeOffset UpdatedAt)
{
    public static ZoneStatus Of(ZoneView zone) =>
        new(zone.Name, zone.Status, Format.StatusLabel(zone.Status), zone.FailedReason, zone.UpdatedAt);
}
