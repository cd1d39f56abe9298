using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>One partition of an assignment as consumer-groups.json stores it, with the member epoch it was
/// given at (0 where that does not apply).</summary>
internal sealed record StoredAssignedPartition(Guid TopicId, int Partition, int Since);

/// <summary>One member of a consumer-protocol group as consumer-groups.json stores it.</summary>
internal sealed record StoredConsumerMember(
    string MemberId,
    string? InstanceId,
    string? RackId,
    string ClientId,
    string ClientHost,
    int MemberEpoch,
    int PreviousMemberEpoch,
    List<string> SubscribedTopicNames,
    string? SubscribedTopicRegex,
    int RebalanceTimeoutMs,
    string? ServerAssignor,
    bool AwayTemporarily,
    List<StoredAssignedPartition> Assigned,
    List<StoredAssignedPartition> Revoking,
    List<StoredAssignedPartition> Target);

/// <summary>One consumer-protocol group as consumer-groups.json stores it.</summary>
internal sealed record StoredConsumerGroup(
    string GroupId,
    int GroupEpoch,
    int AssignmentEpoch,
    string AssignorName,
    string SubscribedTopicsFingerprint,
    List<StoredConsumerMember> Members);

/// <summary>The whole consumer-groups.json document; <see cref="Format"/> guards against files from a newer version.</summary>
internal sealed record StoredConsumerGroups(int Format, List<StoredConsumerGroup> Groups);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StoredConsumerGroups))]
internal sealed partial class StoredConsumerGroupsJson : JsonSerializerContext;

/// <summary>
/// Reads and replaces consumer-groups.json: the members, epochs and assignments of consumer-protocol groups
/// (their offsets live in the offset journal). Kafka keeps these in __consumer_offsets so that members carry on
/// after a coordinator restart; a heartbeat for a group the coordinator lost is GROUP_ID_NOT_FOUND, which
/// clients treat as fatal. Small, rewritten whole (atomically) whenever a group changes.
/// </summary>
internal static class ConsumerGroupsFile
{
    public const int Format = 1;

    public static List<StoredConsumerGroup> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        StoredConsumerGroups? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllBytes(path), StoredConsumerGroupsJson.Default.StoredConsumerGroups);
        }
        catch (JsonException e)
        {
            throw new DataDirException(path, $"is not a valid consumer groups file ({e.Message}); restore it from a backup or remove it (the groups' members then rejoin)", e);
        }

        if (document is null || document.Format != Format)
        {
            throw new DataDirException(path, $"has format {document?.Format.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}; this version reads format {Format}");
        }

        return document.Groups;
    }

    public static byte[] Serialize(List<StoredConsumerGroup> groups) =>
        JsonSerializer.SerializeToUtf8Bytes(new StoredConsumerGroups(Format, groups), StoredConsumerGroupsJson.Default.StoredConsumerGroups);
}
