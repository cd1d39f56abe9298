using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PartnerZones.Resources;

/// <summary>
/// JSON for resources, as strict as the YAML: the same camelCase shape, unknown members refused
/// (<see cref="JsonUnmappedMemberHandling.Disallow"/>), no case-insensitive matching, no numbers in
/// strings, no duplicate keys. <see cref="Read{T}"/> first walks the document and collects every shape
/// problem with its path (System.Text.Json alone stops at the first), then deserializes.
/// </summary>
public static class ResourceJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: false);

    public static JsonSerializerOptions IndentedOptions { get; } = CreateOptions(indented: true);

    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? IndentedOptions : Options);

    /// <summary>Reads one resource of type <typeparamref name="T"/>; on any problem adds every message
    /// to <paramref name="errors"/> and returns null. <paramref name="source"/> names the input in
    /// syntax errors ("request body").</summary>
    public static T? Read<T>(string json, string source, List<string> errors)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            errors.Add($"{source}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}; send one JSON object.");
            return null;
        }

        using (document)
        {
            return Read<T>(document.RootElement, source, errors);
        }
    }

    public static T? Read<T>(JsonElement root, string source, List<string> errors)
        where T : class
    {
        var owner = Describe(root, source);
        var before = errors.Count;
        JsonShape.Check(typeof(T), root, "", owner, errors);
        if (errors.Count > before)
        {
            return null;
        }

        try
        {
            return root.Deserialize<T>(Options) ?? throw new JsonException("the document is null");
        }
        catch (JsonException e)
        {
            // The shape check should have caught it; this is the safety net, so still say something useful.
            errors.Add($"{owner}: {(e.Path is { Length: > 2 } path ? path[2..] + ": " : "")}{e.Message}");
            return null;
        }
    }

    /// <summary>"PartnerZone 'acme'" when the document says its kind and name, else <paramref name="source"/>.</summary>
    public static string Describe(JsonElement root, string source) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String
        && root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? $"{KafkaNames.Escaped(kind.GetString()!)} {KafkaNames.Quoted(name.GetString()!)}"
            : source;

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = false,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectNullableAnnotations = true,
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            WriteIndented = indented,
            // Resources are never embedded in HTML; keep quotes, '+' and non-ASCII names readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
