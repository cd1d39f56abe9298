namespace PartnerZones.Gateway.Admin;

/// <summary>Body of the token call: <c>{"lifeTimeSeconds": 7776000}</c>.</summary>
public sealed record TokenRequest
{
    public long? LifeTimeSeconds { get; init; }
}

/// <summary>Body of a credential issue: the account, how long the credential lives, and a note.</summary>
public sealed record IssueCredentialRequest
{
    public string ServiceAccount { get; init; } = "";

    public long? LifeTimeSeconds { get; init; }

    public string? Description { get; init; }
}

/// <summary>The outcome of an upsert, as the Console's API reports it.</summary>
public enum UpsertResult
{
    CREATED,
    UPDATED,
    NOT_CHANGED,
}
