using System.Text.Json;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// How a console zone looks on a gateway, and which gateway zones this console owns. A gateway may also
/// serve zones from its own configuration file or created through its admin API by hand; the console must
/// never delete those. So every zone the console deploys carries the label
/// <c>partnerzones.io/managed-by: console</c>, and the console treats a gateway zone as its own when it
/// has that label and its <c>spec.cluster</c> names the KafkaCluster the console reached it through.
/// </summary>
public static class ManagedZones
{
    public const string Label = "partnerzones.io/managed-by";
    public const string LabelValue = "console";

    /// <summary>The document the gateway should hold for <paramref name="zone"/>: its name, labels plus the
    /// ownership label, and spec; none of the console's read-only metadata.</summary>
    public static PartnerZone ToGateway(PartnerZone zone)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in zone.Metadata.Labels ?? [])
        {
            labels[key] = value;
        }

        labels[Label] = LabelValue;
        return new PartnerZone
        {
            Metadata = new ResourceMetadata { Name = zone.Metadata.Name, Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal) },
            Spec = zone.Spec,
        };
    }

    /// <summary>True for a gateway zone this console deployed through KafkaCluster <paramref name="cluster"/>.</summary>
    public static bool IsManaged(PartnerZone gatewayZone, string cluster) =>
        gatewayZone.Metadata.Labels?.GetValueOrDefault(Label) == LabelValue && gatewayZone.Spec.Cluster == cluster;

    /// <summary>True when the gateway's zone says what <see cref="ToGateway"/> of the console's says:
    /// same name, labels and spec (server-filled metadata ignored).</summary>
    public static bool Same(PartnerZone gatewayZone, PartnerZone desired) =>
        Canonical(gatewayZone) == Canonical(ToGateway(desired));

    private static string Canonical(PartnerZone zone) => JsonSerializer.Serialize(new
    {
        zone.Metadata.Name,
        Labels = zone.Metadata.Labels is { Count: > 0 } labels ? new SortedDictionary<string, string>(labels, StringComparer.Ordinal) : null,
        zone.Spec,
    }, ResourceJson.Options);
}
