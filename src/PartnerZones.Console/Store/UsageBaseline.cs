namespace PartnerZones.ControlPlane.Store;

/// <summary>What a gateway had counted for a zone's name before the console first deployed the zone with
/// this id there (see Migrations/003_usage_baselines.sql): the part of the figures that is not this zone's.</summary>
public sealed record UsageBaseline(Guid ZoneId, string Cluster, long Requests, long BytesIn, long BytesOut, DateTimeOffset? LastSeen, DateTimeOffset TakenAt);
