using System.Text.Json;
using System.Text.Json.Serialization;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.State;

/// <summary>
/// How resources sit in the state topic: key <c>Kind/name</c>, value the resource as JSON (the same shape
/// as its YAML, without the fields the server fills in), and a null value (tombstone) for a deleted one.
/// Every record carries the whole resource, so replaying a compacted topic gives the same state.
/// </summary>
public static class StateCodec
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Readable quotes and apostrophes in messages; these documents are never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Key(string kind, string name) => $"{kind}/{name}";

    public static string Key(PartnerZone zone) => Key(PartnerZone.KindName, zone.Metadata.Name);

    public static string Key(ServiceAccount account) => Key(ServiceAccount.KindName, account.Metadata.Name);

    public static string Key(Credential credential) => Key(Credential.KindName, credential.Metadata.Name);

    public static byte[] Encode(object resource) => JsonSerializer.SerializeToUtf8Bytes(Normalize(resource), resource.GetType(), Json);

    /// <summary>The resource a record holds, or null for a tombstone. Throws <see cref="JsonException"/> on a
    /// value this version cannot read.</summary>
    public static object? Decode(string kind, ReadOnlySpan<byte> value) =>
        value.IsEmpty ? null
        : kind switch
        {
            PartnerZone.KindName => JsonSerializer.Deserialize<PartnerZone>(value, Json),
            ServiceAccount.KindName => JsonSerializer.Deserialize<ServiceAccount>(value, Json),
            Credential.KindName => JsonSerializer.Deserialize<Credential>(value, Json),
            _ => throw new JsonException($"unknown kind '{kind}'"),
        };

    /// <summary>True when two resources say the same thing, ignoring server-filled metadata.</summary>
    public static bool SameContent(object a, object b) =>
        a.GetType() == b.GetType() && Encode(a).AsSpan().SequenceEqual(Encode(b));

    /// <summary>The resource without server-filled metadata (id, updatedAt, status, failedReason).</summary>
    public static object Normalize(object resource) => resource switch
    {
        PartnerZone zone => zone with { Metadata = Plain(zone.Metadata) },
        ServiceAccount account => account with { Metadata = Plain(account.Metadata) },
        Credential credential => credential with { Metadata = Plain(credential.Metadata) },
        _ => resource,
    };

    private static ResourceMetadata Plain(ResourceMetadata metadata) =>
        new() { Name = metadata.Name, Labels = metadata.Labels is { Count: > 0 } ? metadata.Labels : null };
}
