using System.Collections.Concurrent;

namespace PartnerZones.Gateway.Routing.Zone.ConsumerProtocol;

/// <summary>
/// The alias subscription of each consumer-protocol member of the partners' groups, as the member last
/// sent it. A member sends its subscription when it joins and when it changes it, and otherwise sends
/// "unchanged": the upstream only ever sees backing names, so the gateway keeps the partner's own terms
/// here, to evaluate them against the zone at every heartbeat, to give assignments back under the aliases
/// the member asked for, and to describe the member as it subscribed. Shared by the instance's sessions:
/// a member's heartbeats may arrive on a new connection. A member this instance does not know (the
/// instance restarted, or the member moved from another instance) is asked to rejoin, which makes it
/// send its subscription again.
/// </summary>
public sealed class ConsumerMembers
{
    /// <summary>Bounds memory whatever partners do: past it, the members not heard from longest are
    /// forgotten (and asked to rejoin when they next heartbeat).</summary>
    public const int Capacity = 100_000;

    /// <summary>Members that have not heartbeated this long are gone upstream too (Kafka's longest
    /// session timeout is far shorter), so forgetting them loses nothing.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<(string Zone, string Group, string Member), Entry> _members = new();
    private readonly TimeProvider _time;

    public ConsumerMembers(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public int Count => _members.Count;

    internal AliasSubscription? Find(string zone, string group, string member)
    {
        if (!_members.TryGetValue((zone, group, member), out var entry))
        {
            return null;
        }

        entry.Seen = _time.GetUtcNow();
        return entry.Subscription;
    }

    internal void Remember(string zone, string group, string member, AliasSubscription subscription)
    {
        _members[(zone, group, member)] = new Entry(subscription) { Seen = _time.GetUtcNow() };
        if (_members.Count > Capacity)
        {
            Trim();
        }
    }

    internal void Forget(string zone, string group, string member) => _members.TryRemove((zone, group, member), out _);

    /// <summary>Drops idle members, then, if still over capacity, the least recently seen tenth.</summary>
    private void Trim()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, entry) in _members)
        {
            if (now - entry.Seen > Idle)
            {
                _members.TryRemove(key, out _);
            }
        }

        if (_members.Count > Capacity)
        {
            foreach (var (key, _) in _members.OrderBy(m => m.Value.Seen).Take(Capacity / 10))
            {
                _members.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry(AliasSubscription subscription)
    {
        public AliasSubscription Subscription { get; } = subscription;

        public DateTimeOffset Seen { get; set; }
    }
}
