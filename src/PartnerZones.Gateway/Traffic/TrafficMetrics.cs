using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace PartnerZones.Gateway.Traffic;

/// <summary>Per-zone throttling counters, rendered with the gateway's other metrics on /metrics.</summary>
public sealed class TrafficMetrics
{
    private readonly ConcurrentDictionary<(string Zone, string Limit), Counters> _byLimit = new();

    /// <summary>One throttled answer: its throttle time and the amount over the limit when it was given.</summary>
    public void Throttled(string zone, string limit, long throttleMs, long over, long untilMs)
    {
        var counters = _byLimit.GetOrAdd((zone, limit), _ => new Counters());
        Interlocked.Add(ref counters.ThrottleMs, throttleMs);
        Interlocked.Add(ref counters.Over, over);
        Interlocked.Increment(ref counters.Throttles);
        long seen;
        do
        {
            seen = Volatile.Read(ref counters.UntilMs);
        }
        while (untilMs > seen && Interlocked.CompareExchange(ref counters.UntilMs, untilMs, seen) != seen);
    }

    /// <summary>Whether any of the zone's limits holds its connections back at <paramref name="nowMs"/>.</summary>
    public bool IsThrottled(string zone, long nowMs)
    {
        foreach (var ((name, _), counters) in _byLimit)
        {
            if (name == zone && Volatile.Read(ref counters.UntilMs) > nowMs)
            {
                return true;
            }
        }

        return false;
    }

    public long ThrottleMs(string zone, string limit) => _byLimit.TryGetValue((zone, limit), out var c) ? Interlocked.Read(ref c.ThrottleMs) : 0;

    public void Render(StringBuilder text, long nowMs)
    {
        var entries = _byLimit.OrderBy(e => e.Key.Zone, StringComparer.Ordinal).ThenBy(e => e.Key.Limit, StringComparer.Ordinal).ToList();
        void Metric(string name, string type, string help, Func<Counters, long> value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var ((zone, limit), counters) in entries)
            {
                text.Append(name).Append("{zone=\"").Append(zone.Replace("\\", "\\\\").Replace("\"", "\\\""))
                    .Append("\",limit=\"").Append(limit).Append("\"} ")
                    .Append(value(counters).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        Metric("pz_gateway_zone_throttle_time_ms_total", "counter", "Throttle time given to the zone's connections, per zone and limit (milliseconds).", c => Interlocked.Read(ref c.ThrottleMs));
        Metric("pz_gateway_zone_throttled_requests_total", "counter", "Answers that carried a throttle time, per zone and limit.", c => Interlocked.Read(ref c.Throttles));
        Metric("pz_gateway_zone_over_limit_total", "counter", "Amount over the limit when throttled (bytes for produce and consume, commits for commit), per zone and limit.", c => Interlocked.Read(ref c.Over));
        Metric("pz_gateway_zone_throttled", "gauge", "1 while the zone's connections are held back by the limit, else 0.", c => Volatile.Read(ref c.UntilMs) > nowMs ? 1 : 0);
    }

    private sealed class Counters
    {
        public long ThrottleMs;
        public long Throttles;
        public long Over;
        public long UntilMs;
    }
}
