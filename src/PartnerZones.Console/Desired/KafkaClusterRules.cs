using System.Text.Json;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Desired;

/// <summary>KafkaCluster: validated by <see cref="KafkaClusterValidator"/>. The admin password is
/// write-only: never shown, and kept from the stored cluster when an update leaves it out (so
/// `pz get -o yaml | pz apply -f -` round-trips), but only while spec.adminApi.url stays the same target:
/// a new URL needs the password again. A cluster that zones use cannot be deleted.</summary>
public sealed class KafkaClusterRules : KindRules
{
    public override ResourceKind Kind => ResourceKinds.KafkaCluster;

    public override Incoming? Read(JsonElement body, List<string> errors)
    {
        var cluster = ResourceJson.Read<KafkaCluster>(body, "request body", errors);
        return cluster is null ? null : Incoming(cluster);
    }

    public override Incoming Complete(Incoming incoming, StoredResource? existing)
    {
        var cluster = (KafkaCluster)incoming.Document;
        if (existing is null || !string.IsNullOrEmpty(cluster.Spec.AdminApi.Password))
        {
            return incoming;
        }

        // The stored password was given for the stored URL only. Sent on to another one it would reach
        // whoever answers there (HTTP Basic, every pass), so anyone with an API key could collect it by
        // re-applying the cluster with their own URL; the validator asks for the password instead.
        var stored = StoredSpec(existing);
        if (!AdminApiUrl.SameTarget(stored.AdminApi.Url, cluster.Spec.AdminApi.Url))
        {
            return incoming;
        }

        return Incoming(cluster with { Spec = cluster.Spec with { AdminApi = cluster.Spec.AdminApi with { Password = stored.AdminApi.Password } } });
    }

    public override List<string> Validate(Incoming incoming, StoredResource? existing) =>
        KafkaClusterValidator.Validate((KafkaCluster)incoming.Document, existing is null ? null : StoredSpec(existing).AdminApi.Url);

    public override async Task<string?> DeleteConflictAsync(string name, StoreWriter writer)
    {
        var users = (await writer.ListAsync(PartnerZone.KindName).ConfigureAwait(false))
            .Where(z => JsonSerializer.Deserialize<PartnerZoneSpec>(z.Spec, ResourceJson.Options)!.Cluster == name)
            .ToList();
        if (users.Count == 0)
        {
            return null;
        }

        // A DELETING zone still needs this cluster: its admin API is how the console confirms the removal.
        var deleting = users.Where(z => z.Status == ResourceStatus.Deleting).Select(z => $"'{z.Name}'").ToList();
        var live = users.Where(z => z.Status != ResourceStatus.Deleting).Select(z => $"'{z.Name}'").ToList();
        return live.Count > 0
            ? $"KafkaCluster '{name}' serves PartnerZone {string.Join(", ", live)}; delete or move those zones first."
            : $"KafkaCluster '{name}' still serves PartnerZone {string.Join(", ", deleting)} until its gateway confirms the deletion; wait until `pz get partner-zone` no longer lists them (pz delete waits for this), then delete the cluster.";
    }

    public override object Show(StoredResource stored)
    {
        var spec = JsonSerializer.Deserialize<KafkaClusterSpec>(stored.Spec, ResourceJson.Options)!;
        return new KafkaCluster
        {
            Metadata = Metadata(stored),
            Spec = spec with { AdminApi = spec.AdminApi with { Password = null } },
        };
    }

    /// <summary>The stored cluster with its password, for the reconciler's calls to the gateway.</summary>
    public static KafkaCluster WithSecrets(StoredResource stored) => new()
    {
        Metadata = Metadata(stored),
        Spec = JsonSerializer.Deserialize<KafkaClusterSpec>(stored.Spec, ResourceJson.Options)!,
    };

    protected override Type DocumentType => typeof(KafkaCluster);

    private static KafkaClusterSpec StoredSpec(StoredResource stored) => JsonSerializer.Deserialize<KafkaClusterSpec>(stored.Spec, ResourceJson.Options)!;

    protected override Incoming ToIncoming(object document) => Incoming((KafkaCluster)document);

    private static Incoming Incoming(KafkaCluster cluster) =>
        new(cluster.Metadata.Name, cluster, ResourceService.LabelsJson(cluster.Metadata.Labels), Canonical(cluster.Spec));
}
