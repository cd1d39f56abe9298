namespace PartnerZones.ControlPlane.Store;

/// <summary>An API key as stored: a hash and facts about it, never the key.</summary>
public sealed record StoredApiKey(
    Guid Id,
    string Name,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);
