using System.Text.Json.Serialization;

namespace PartnerZones.Resources;

/// <summary>A partner's zone: the topics it sees under alias names, and who the partner is.
/// Shape: <c>apiVersion: v2</c>, <c>kind: PartnerZone</c>, metadata, spec.</summary>
public sealed record PartnerZone
{
    public const string KindName = "PartnerZone";
    public const string CurrentApiVersion = "v2";

    public string ApiVersion { get; init; } = CurrentApiVersion;

    public string Kind { get; init; } = KindName;

    public ResourceMetadata Metadata { get; init; } = new();

    public PartnerZoneSpec Spec { get; init; } = new();
}

/// <summary>Name and labels, plus read-only fields the server fills in.</summary>
public sealed record ResourceMetadata
{
    public string Name { get; init; } = "";

    public Dictionary<string, string>? Labels { get; init; }

    public string? Id { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public string? Status { get; init; }

    public string? FailedReason { get; init; }
}

public sealed record PartnerZoneSpec
{
    /// <summary>The gateway cluster that serves this zone.</summary>
    public string Cluster { get; init; } = "";

    public string? DisplayName { get; init; }

    public string? Url { get; init; }

    /// <summary>Why the topics are shared.</summary>
    public string? Description { get; init; }

    /// <summary>The service account partners authenticate as (short form).</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>The long form: <c>authenticationMode: {type: PLAIN, serviceAccount: NAME}</c>.</summary>
    public AuthenticationMode? AuthenticationMode { get; init; }

    public List<SharedTopic> Topics { get; init; } = [];

    public PartnerContact? Partner { get; init; }

    /// <summary>The service account, whichever form named it. Derived, so never written out.</summary>
    [JsonIgnore]
    public string? EffectiveServiceAccount => ServiceAccount ?? AuthenticationMode?.ServiceAccount;
}

public sealed record AuthenticationMode
{
    public string Type { get; init; } = "PLAIN";

    public string? ServiceAccount { get; init; }
}

/// <summary>One shared topic: the partner's alias, the backing Kafka topic and the permission.</summary>
public sealed record SharedTopic
{
    /// <summary>The alias the partner sees.</summary>
    public string Name { get; init; } = "";

    /// <summary>The Kafka topic behind the alias.</summary>
    public string BackingTopic { get; init; } = "";

    /// <summary>READ or WRITE (WRITE includes READ).</summary>
    public string Permission { get; init; } = "";
}

public sealed record PartnerContact
{
    public string? Name { get; init; }

    public string? Role { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }
}
