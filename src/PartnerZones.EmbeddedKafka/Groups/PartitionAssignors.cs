namespace PartnerZones.EmbeddedKafka.Groups;

/// <summary>The assignors a member may name in ServerAssignor; the first is the default, as in Kafka.</summary>
internal static class PartitionAssignors
{
    public static readonly IPartitionAssignor[] All = [new UniformAssignor(), new RangeAssignor()];

    public static IPartitionAssignor? Find(string name) => Array.Find(All, a => a.Name == name);
}
