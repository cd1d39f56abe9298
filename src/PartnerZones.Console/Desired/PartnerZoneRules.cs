using System.Text.Json;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Desired;

/// <summary>PartnerZone: validated by <see cref="PartnerZoneValidator"/>; its cluster must be a stored
/// KafkaCluster, and a service account serves one zone per cluster (a partner logs in to one zone).</summary>
public sealed class PartnerZoneRules : KindRules
{
    public override ResourceKind Kind => ResourceKinds.PartnerZone;

    public override Incoming? Read(JsonElement body, List<string> errors)
    {
        var zone = ResourceJson.Read<PartnerZone>(body, "request body", errors);
        return zone is null ? null : ToIncoming(zone);
    }

    protected override Type DocumentType => typeof(PartnerZone);

    protected override Incoming ToIncoming(object document)
    {
        var zone = (PartnerZone)document;
        return new Incoming(zone.Metadata.Name, zone, ResourceService.LabelsJson(zone.Metadata.Labels), Canonical(zone.Spec));
    }

    public override List<string> Validate(Incoming incoming, StoredResource? existing) => PartnerZoneValidator.Validate((PartnerZone)incoming.Document);

    public override async Task CheckAsync(Incoming incoming, StoreWriter writer, List<string> errors)
    {
        var zone = (PartnerZone)incoming.Document;
        var who = $"PartnerZone '{zone.Metadata.Name}'";
        if (string.IsNullOrWhiteSpace(zone.Spec.Cluster))
        {
            return; // the validator already said so
        }

        if (await writer.GetAsync(KafkaCluster.KindName, zone.Spec.Cluster).ConfigureAwait(false) is null)
        {
            var known = (await writer.ListAsync(KafkaCluster.KindName).ConfigureAwait(false)).Select(c => c.Name).ToList();
            errors.Add($"{who}: spec.cluster '{zone.Spec.Cluster}' is not a KafkaCluster the console knows; "
                + (known.Count == 0 ? "apply a KafkaCluster first (none exists yet)." : $"use one of: {string.Join(", ", known)}, or apply that KafkaCluster first."));
        }

        var account = zone.Spec.EffectiveServiceAccount;
        if (string.IsNullOrWhiteSpace(account))
        {
            return;
        }

        foreach (var other in await writer.ListAsync(PartnerZone.KindName).ConfigureAwait(false))
        {
            if (other.Name == zone.Metadata.Name)
            {
                continue;
            }

            var spec = JsonSerializer.Deserialize<PartnerZoneSpec>(other.Spec, ResourceJson.Options)!;
            if (spec.Cluster == zone.Spec.Cluster && spec.EffectiveServiceAccount == account)
            {
                errors.Add($"{who}: service account '{account}' already belongs to PartnerZone '{other.Name}' on cluster '{spec.Cluster}'; a partner account serves one zone, so choose another name.");
            }
        }
    }

    public override object Show(StoredResource stored) => new PartnerZone
    {
        Metadata = Metadata(stored),
        Spec = JsonSerializer.Deserialize<PartnerZoneSpec>(stored.Spec, ResourceJson.Options)!,
    };
}
