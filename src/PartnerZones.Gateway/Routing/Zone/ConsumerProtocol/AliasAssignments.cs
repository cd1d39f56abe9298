using PartnerZones.Gateway.Policy;

namespace PartnerZones.Gateway.Routing.Zone.ConsumerProtocol;

/// <summary>
/// Partitions named by topic id, translated between the partner's virtual ids and the backing topics'
/// real ids. Upstream, a member is assigned backing partitions; the partner gets them under every alias
/// of its subscription on that backing topic, each with its own virtual id, so two aliases of one backing
/// topic are both assigned (and keep their own positions and committed offsets, as for classic groups).
/// Coming back, the partner's owned partitions of those aliases are one set of backing partitions.
/// </summary>
internal static class AliasAssignments
{
    /// <summary>Backing assignment (real id, partitions) to the partner's (virtual id, partitions), in the
    /// order of <paramref name="aliases"/>. Ids the catalog cannot name, or backing topics none of the
    /// aliases is on, give nothing: the partner is never handed a partition outside its subscription.</summary>
    public static List<(Guid VirtualId, List<int> Partitions)> ToAliases(
        IEnumerable<(Guid BackingId, IReadOnlyList<int> Partitions)> assigned, IReadOnlyList<ZoneTopic> aliases, TopicIdCatalog ids)
    {
        var byBacking = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var (backingId, partitions) in assigned)
        {
            if (ids.NameOf(backingId) is { } name)
            {
                if (!byBacking.TryGetValue(name, out var list))
                {
                    byBacking[name] = list = [];
                }

                list.AddRange(partitions);
            }
        }

        return [.. aliases
            .Where(a => byBacking.ContainsKey(a.Backing))
            .Select(a => (a.VirtualId, byBacking[a.Backing].Distinct().Order().ToList()))];
    }

    /// <summary>The partner's owned partitions (virtual id, partitions) as backing ones (real id, the
    /// union over the aliases of one backing topic). Ids outside the zone, or whose backing id is not
    /// known, are left out: upstream never sees an id the partner was not given.</summary>
    public static List<(Guid BackingId, List<int> Partitions)> ToBacking(
        IEnumerable<(Guid VirtualId, IReadOnlyList<int> Partitions)> owned, ZonePolicy zone, TopicIdCatalog ids)
    {
        var byBacking = new Dictionary<Guid, SortedSet<int>>();
        foreach (var (virtualId, partitions) in owned)
        {
            if (zone.ByVirtualId.GetValueOrDefault(virtualId) is { } alias && ids.IdOf(alias.Backing) is { } backingId)
            {
                if (!byBacking.TryGetValue(backingId, out var set))
                {
                    byBacking[backingId] = set = [];
                }

                set.UnionWith(partitions);
            }
        }

        return [.. byBacking.Select(b => (b.Key, b.Value.ToList()))];
    }
}
