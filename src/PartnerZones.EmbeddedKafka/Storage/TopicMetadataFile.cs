using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>One topic as topics.json stores it.</summary>
internal sealed record StoredTopic(string Name, Guid Id, Dictionary<string, string> Configs, List<StoredPartition> Partitions);

/// <summary>One partition's placement as topics.json stores it.</summary>
internal sealed record StoredPartition(int Index, int Leader, int[] Replicas);

/// <summary>The whole topics.json document; <see cref="Format"/> guards against files from a newer version.</summary>
internal sealed record StoredTopics(int Format, List<StoredTopic> Topics);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StoredTopics))]
internal sealed partial class StoredTopicsJson : JsonSerializerContext;

/// <summary>Reads and replaces topics.json: small, rewritten whole (atomically) on every topic change.</summary>
internal static class TopicMetadataFile
{
    public const int Format = 1;

    public static List<StoredTopic> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        StoredTopics? document;
        try
        {
            document = JsonSerializer.Deserialize(File.ReadAllBytes(path), StoredTopicsJson.Default.StoredTopics);
        }
        catch (JsonException e)
        {
            throw new DataDirException(path, $"is not a valid topics file ({e.Message}); restore it from a backup or remove the data directory", e);
        }

        if (document is null || document.Format != Format)
        {
            throw new DataDirException(path, $"has format {document?.Format.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}; this version reads format {Format}");
        }

        foreach (var topic in document.Topics)
        {
            if (topic.Name is null || topic.Partitions is null || topic.Partitions.Count == 0
                || !topic.Partitions.Select(p => p.Index).Order().SequenceEqual(Enumerable.Range(0, topic.Partitions.Count)))
            {
                throw new DataDirException(path, $"lists topic '{topic.Name}' without partitions 0..n-1; restore it from a backup or remove the data directory");
            }
        }

        return document.Topics;
    }

    public static void Write(string path, List<StoredTopic> topics) =>
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(new StoredTopics(Format, topics), StoredTopicsJson.Default.StoredTopics));
}
