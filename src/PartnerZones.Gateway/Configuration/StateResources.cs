using PartnerZones.Resources;

namespace PartnerZones.Gateway.Configuration;

/// <summary>An identity that logs in to the gateway: a partner account (its zone names it) or an admin
/// account on the <c>passthrough</c> virtual cluster, which sees the backing cluster unchanged.</summary>
public sealed record ServiceAccount
{
    public const string KindName = "ServiceAccount";

    public string ApiVersion { get; init; } = "v2";

    public string Kind { get; init; } = KindName;

    public ResourceMetadata Metadata { get; init; } = new();

    public ServiceAccountSpec Spec { get; init; } = new();
}

public sealed record ServiceAccountSpec
{
    /// <summary>PARTNER (the default) or ADMIN.</summary>
    public string Type { get; init; } = "PARTNER";
}

/// <summary>A secret a service account logs in with, stored only as a hash.</summary>
public sealed record Credential
{
    public const string KindName = "Credential";

    public string ApiVersion { get; init; } = "v2";

    public string Kind { get; init; } = KindName;

    public ResourceMetadata Metadata { get; init; } = new();

    public CredentialSpec Spec { get; init; } = new();
}

public sealed record CredentialSpec
{
    public string ServiceAccount { get; init; } = "";

    /// <summary>Output of <c>pz gateway hash-secret</c>.</summary>
    public string SecretHash { get; init; } = "";

    public DateTimeOffset? ExpiresAt { get; init; }
}
