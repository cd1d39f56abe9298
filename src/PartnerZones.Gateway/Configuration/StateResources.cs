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

    /// <summary>How the account may log in: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512. Credentials issued while
    /// a SCRAM mechanism is listed also store that mechanism's keys.</summary>
    public List<string> SaslMechanisms { get; init; } = ["PLAIN"];
}

/// <summary>A secret a service account logs in with, stored only as a hash (and SCRAM keys). The name is
/// the credential's id. A revoked credential is kept (so a seed file cannot bring it back) but never
/// authenticates again.</summary>
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

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Why it was issued (free text, for people).</summary>
    public string? Description { get; init; }

    /// <summary>SCRAM keys, one per mechanism the account had when the credential was issued.</summary>
    public List<ScramSecret>? Scram { get; init; }
}

/// <summary>What SCRAM needs to check a login without the secret (RFC 5802), all base64.</summary>
public sealed record ScramSecret
{
    public string Mechanism { get; init; } = "";

    public string Salt { get; init; } = "";

    public int Iterations { get; init; }

    public string StoredKey { get; init; } = "";

    public string ServerKey { get; init; } = "";
}
