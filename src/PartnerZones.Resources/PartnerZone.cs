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

    /// <summary>Rate limits on the zone's traffic, enforced by the gateway as Kafka enforces client quotas.</summary>
    public TrafficControlPolicies? TrafficControlPolicies { get; init; }

    /// <summary>Headers added to what the partner produces and removed from what it consumes.</summary>
    public HeaderRules? Headers { get; init; }

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

/// <summary>A zone's rate limits, each absent when unlimited. Rates are per zone, over all of its
/// connections to one gateway instance (docs/partner-zone-reference.md says how instances combine).</summary>
public sealed record TrafficControlPolicies
{
    /// <summary>Bytes per second the partner may produce.</summary>
    public long? MaxProduceRate { get; init; }

    /// <summary>Bytes per second the partner may fetch.</summary>
    public long? MaxConsumeRate { get; init; }

    /// <summary>Offset commits per minute the partner may make.</summary>
    public int? LimitCommitOffset { get; init; }
}

/// <summary>Header rules: added on produce, removed on consume.</summary>
public sealed record HeaderRules
{
    public List<HeaderToAdd>? AddOnProduce { get; init; }

    public List<HeaderToRemove>? RemoveOnConsume { get; init; }
}

/// <summary>A header added to every record the partner produces. The value may hold templates
/// (<c>{{clientId}}</c>, <c>{{userIp}}</c>, <c>{{apiKey}}</c>, <c>{{apiKeyVersion}}</c>, <c>{{user}}</c>,
/// <c>{{gatewayHost}}</c>, <c>{{timestampMillis}}</c>), filled per connection and request.</summary>
public sealed record HeaderToAdd
{
    public string Key { get; init; } = "";

    public string Value { get; init; } = "";

    /// <summary>Whether a header of the same key the record already has is replaced (true) or kept, the
    /// rule then adding nothing (false).</summary>
    public bool OverrideIfExists { get; init; }
}

/// <summary>Headers whose key matches the regular expression (whole key) are removed from every record
/// the partner fetches.</summary>
public sealed record HeaderToRemove
{
    public string KeyRegex { get; init; } = "";
}
