using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Policy;

public enum TopicPermission
{
    Read,
    Write,
}

/// <summary>One alias of a zone: the backing topic, the permission and the id the partner sees.</summary>
public sealed record ZoneTopic(string Alias, string Backing, TopicPermission Permission, Guid VirtualId)
{
    public bool CanWrite => Permission == TopicPermission.Write;
}

/// <summary>
/// Everything a connection needs to enforce one zone, precomputed once per zone version and never
/// changed: a new zone version is a new snapshot swapped in atomically, so the hot path takes no locks.
/// </summary>
public sealed class ZonePolicy
{
    public ZonePolicy(PartnerZone zone)
    {
        Zone = zone.Metadata.Name;
        GroupPrefix = $"pz.{Zone}.";
        var topics = zone.Spec.Topics
            .Select(t => new ZoneTopic(t.Name, t.BackingTopic, t.Permission == "WRITE" ? TopicPermission.Write : TopicPermission.Read, VirtualIdFor(Zone, t.Name)))
            .ToList();
        Topics = topics;
        ByAlias = topics.ToFrozenDictionary(t => t.Alias, StringComparer.Ordinal);
        ByVirtualId = topics.ToFrozenDictionary(t => t.VirtualId);
        Headers = Gateway.Headers.HeaderPolicy.From(zone.Spec.Headers);
        ByBacking = topics.GroupBy(t => t.Backing, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public string Zone { get; }

    /// <summary>Prepended upstream to every group and transactional id of the zone.</summary>
    public string GroupPrefix { get; }

    public IReadOnlyList<ZoneTopic> Topics { get; }

    public FrozenDictionary<string, ZoneTopic> ByAlias { get; }

    public FrozenDictionary<Guid, ZoneTopic> ByVirtualId { get; }

    public FrozenDictionary<string, ZoneTopic[]> ByBacking { get; }

    /// <summary>The zone's header rules, compiled; null when it has none.</summary>
    public Gateway.Headers.HeaderPolicy? Headers { get; }

    public string Namespaced(string id) => GroupPrefix + id;

    /// <summary>How many WRITE aliases the zone has on one backing topic.</summary>
    public int WriteAliasesOf(string backing) =>
        ByBacking.TryGetValue(backing, out var aliases) ? aliases.Count(a => a.CanWrite) : 0;

    /// <summary>The partner's id for an upstream id, or null when the id is not the zone's.</summary>
    public string? Strip(string upstreamId) =>
        upstreamId.StartsWith(GroupPrefix, StringComparison.Ordinal) ? upstreamId[GroupPrefix.Length..] : null;

    /// <summary>A stable id per (zone, alias), so two aliases of one topic, or the same alias in two
    /// zones, never share an id, and no partner ever learns a backing topic's real id.</summary>
    public static Guid VirtualIdFor(string zone, string alias)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"partner-zones/topic-id/{zone}/{alias}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom), RFC 9562
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
