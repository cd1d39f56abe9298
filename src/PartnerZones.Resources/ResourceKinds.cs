namespace PartnerZones.Resources;

/// <summary>A kind of resource the console stores: its name in documents, its segment in API paths,
/// the spellings the command line accepts, and where it goes when applying (clusters before the zones
/// that name them).</summary>
public sealed record ResourceKind(string Name, string PathSegment, int ApplyOrder, IReadOnlyList<string> Aliases);

public static class ResourceKinds
{
    public static ResourceKind KafkaCluster { get; } = new(
        Resources.KafkaCluster.KindName, "kafka-cluster", 0,
        ["kafkacluster", "kafkaclusters", "kafka-cluster", "kafka-clusters", "kc", "cluster", "clusters"]);

    public static ResourceKind PartnerZone { get; } = new(
        Resources.PartnerZone.KindName, "partner-zone", 1,
        ["partnerzone", "partnerzones", "partner-zone", "partner-zones", "pz", "zone", "zones"]);

    public static IReadOnlyList<ResourceKind> All { get; } = [KafkaCluster, PartnerZone];

    /// <summary>The kind a user means by <paramref name="text"/>, case-insensitive, singular, plural or short; null when none.</summary>
    public static ResourceKind? Resolve(string text)
    {
        var lower = text.Trim().ToLowerInvariant();
        return All.FirstOrDefault(k => k.Aliases.Contains(lower));
    }

    /// <summary>For messages: "PartnerZone (pz), KafkaCluster (kc)".</summary>
    public static string Known => "PartnerZone (partner-zone, pz), KafkaCluster (kafka-cluster, kc)";
}
