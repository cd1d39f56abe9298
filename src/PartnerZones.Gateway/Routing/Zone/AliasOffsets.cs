using PartnerZones.Gateway.Policy;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// Where the committed offsets of each alias live upstream. Offsets are kept per backing partition, so
/// two aliases of one backing topic committing into one group would overwrite each other. The first
/// alias of a backing topic in zone order (its primary alias) commits into the partner's namespaced
/// group itself, as it always did; every other alias commits into a shadow group of its own.
/// </summary>
internal static class AliasOffsets
{
    /// <summary>Separates the parts of a shadow group id. Neither zone names (lower-case letters, digits,
    /// '-') nor topic names (letters, digits, '.', '_', '-') can contain it, so a shadow id can be read
    /// back unambiguously and never starts with any zone's group prefix (<c>pz.&lt;zone&gt;.</c>): no
    /// partner of any zone can name one, since every id a partner sends gets its zone's prefix.</summary>
    private const char Separator = '~';

    /// <summary>Whether <paramref name="topic"/> is the first alias of its backing topic in zone order.</summary>
    public static bool IsPrimary(ZonePolicy zone, ZoneTopic topic) =>
        !zone.ByBacking.TryGetValue(topic.Backing, out var aliases) || string.Equals(aliases[0].Alias, topic.Alias, StringComparison.Ordinal);

    /// <summary>The upstream group holding <paramref name="alias"/>'s offsets for the partner's group
    /// <paramref name="group"/> when the alias is not primary: <c>pz~&lt;zone&gt;~&lt;alias&gt;~&lt;group&gt;</c>.</summary>
    public static string ShadowGroup(ZonePolicy zone, ZoneTopic alias, string group) =>
        $"pz{Separator}{zone.Zone}{Separator}{alias.Alias}{Separator}{group}";

    /// <summary>The zone's aliases that keep their offsets in shadow groups, in zone order.</summary>
    public static IEnumerable<ZoneTopic> Shadowed(ZonePolicy zone) => zone.Topics.Where(t => !IsPrimary(zone, t));
}
