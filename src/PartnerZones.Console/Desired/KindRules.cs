using System.Text.Json;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Desired;

/// <summary>What the console needs to know about one kind of resource: how to read it strictly, complete
/// it from what is stored (write-only fields), validate it alone and against other resources, and show
/// it back. <see cref="ResourceService"/> holds the rules every kind shares.</summary>
public abstract class KindRules
{
    private static readonly JsonSerializerOptions SkipUnknownFields = new(ResourceJson.Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip };

    public abstract ResourceKind Kind { get; }

    /// <summary>Reads the body's shape (unknown fields, wrong types); semantic checks come later.</summary>
    public abstract Incoming? Read(JsonElement body, List<string> errors);

    /// <summary>
    /// The document read as <see cref="Read"/> would, but skipping the fields this kind does not have; null
    /// when anything else is wrong with its shape (a wrong type, a null, a repeated field). Used only after
    /// <see cref="Read"/> refused unknown or not-yet-enforced fields, so that one answer names every other
    /// problem of the document too instead of one round trip per kind of mistake.
    /// </summary>
    public Incoming? ReadSkippingUnknownFields(JsonElement body)
    {
        try
        {
            return body.Deserialize(DocumentType, SkipUnknownFields) is { } document ? ToIncoming(document) : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Fills in what the user may leave out on update (write-only fields) from <paramref name="existing"/>.</summary>
    public virtual Incoming Complete(Incoming incoming, StoredResource? existing) => incoming;

    /// <summary>The kind's own validator: every problem, each naming field and fix. <paramref name="existing"/>
    /// is what the resource replaces (null for a new one), for rules about what an update may leave out.</summary>
    public abstract List<string> Validate(Incoming incoming, StoredResource? existing);

    /// <summary>Checks against other resources, inside the write transaction.</summary>
    public virtual Task CheckAsync(Incoming incoming, StoreWriter writer, List<string> errors) => Task.CompletedTask;

    /// <summary>Why <paramref name="name"/> cannot be deleted now (other resources depend on it), or null.</summary>
    public virtual Task<string?> DeleteConflictAsync(string name, StoreWriter writer) => Task.FromResult<string?>(null);

    /// <summary>The resource as the API shows it: spec with secrets removed, plus read-only metadata.</summary>
    public abstract object Show(StoredResource stored);

    /// <summary>The resource type of this kind's documents.</summary>
    protected abstract Type DocumentType { get; }

    /// <summary>A read document with the canonical JSON the store compares.</summary>
    protected abstract Incoming ToIncoming(object document);

    /// <summary>The canonical JSON of a spec object, so equal specs give equal text.</summary>
    protected static string Canonical<T>(T spec) => JsonSerializer.Serialize(spec, ResourceJson.Options);

    protected static ResourceMetadata Metadata(StoredResource stored) => new()
    {
        Name = stored.Name,
        Labels = stored.Labels is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(stored.Labels, ResourceJson.Options),
        Id = stored.Id.ToString(),
        UpdatedAt = stored.UpdatedAt,
        Status = stored.Status,
        FailedReason = stored.FailedReason,
    };
}

/// <summary>A resource as received: its name, labels and typed document, and the canonical JSON of its
/// labels and spec that the store keeps and compares.</summary>
public sealed record Incoming(string Name, object Document, string? LabelsJson, string SpecJson);
