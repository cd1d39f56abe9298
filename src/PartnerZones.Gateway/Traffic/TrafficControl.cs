using System.Collections.Concurrent;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Traffic;

/// <summary>
/// Enforces every zone's trafficControlPolicies on this gateway instance. The rates are measured per zone
/// across all of its connections here, in windows kept by zone name for the life of the process, so a
/// change of limits applies to live sessions at once and never closes them: the limits are read from the
/// current state on each use, not from a session's policy snapshot. A zone over a limit is answered with
/// a throttle time and its connection is muted for that long (Kafka's client quotas, KIP-219); nothing is
/// dropped or refused.
/// </summary>
public sealed class TrafficControl(Func<Configuration.GatewayState> state, TrafficMetrics metrics)
{
    /// <summary>The longest throttle one answer carries. Below the 30 s request timeout of the common clients
    /// (Java's request.timeout.ms, librdkafka's request.timeout.ms), so requests a client already sent and
    /// that wait behind a mute never time out; a zone still over its rate is simply throttled again.</summary>
    public const long MaxThrottleMs = 10_000;

    public const string Produce = "produce";
    public const string Consume = "consume";
    public const string Commit = "commit";

    private readonly ConcurrentDictionary<string, ZoneRates> _zones = new(StringComparer.Ordinal);

    public TrafficMetrics Metrics => metrics;

    /// <summary>The zone's limits in the current state (none for a zone that is gone).</summary>
    public TrafficLimits LimitsOf(string zone) => Rates(zone).Limits(state().Zone(zone)?.Resource.Spec.TrafficControlPolicies);

    /// <summary>Counts record bytes a partner produced; returns the throttle time for the answer (0 when under).</summary>
    public int Produced(string zone, long bytes, ConnectionMute mute) =>
        LimitsOf(zone).ProduceBytesPerSecond is { } rate ? Throttle(zone, Produce, Rates(zone).Produce, bytes, rate, mute) : 0;

    /// <summary>Counts record bytes a partner fetched; returns the throttle time for the answer.</summary>
    public int Fetched(string zone, long bytes, ConnectionMute mute) =>
        LimitsOf(zone).ConsumeBytesPerSecond is { } rate ? Throttle(zone, Consume, Rates(zone).Consume, bytes, rate, mute) : 0;

    /// <summary>Counts one offset commit request; returns the throttle time for the answer.</summary>
    public int Committed(string zone, ConnectionMute mute) =>
        LimitsOf(zone).CommitsPerMinute is { } perMinute ? Throttle(zone, Commit, Rates(zone).Commits, 1, perMinute / 60.0, mute) : 0;

    /// <summary>Whether any limit holds the zone back now (for status and the gauge).</summary>
    public bool IsThrottled(string zone) => metrics.IsThrottled(zone, Environment.TickCount64);

    private int Throttle(string zone, string limit, RateWindow window, long amount, double rate, ConnectionMute mute)
    {
        var now = Environment.TickCount64;
        var (throttleMs, over) = window.Record(amount, rate, now);
        if (throttleMs <= 0)
        {
            return 0;
        }

        throttleMs = Math.Min(throttleMs, MaxThrottleMs);
        mute.Until(now + throttleMs);
        metrics.Throttled(zone, limit, throttleMs, over, now + throttleMs);
        return (int)throttleMs;
    }

    private ZoneRates Rates(string zone) => _zones.GetOrAdd(zone, static _ => new ZoneRates());

    /// <summary>One zone's windows, and its limits parsed once per version of its policies.</summary>
    private sealed class ZoneRates
    {
        // One reference, swapped whole, so concurrent sessions never see policies paired with other limits.
        private Parsed _parsed = new(null, TrafficLimits.None);

        public RateWindow Produce { get; } = new();

        public RateWindow Consume { get; } = new();

        public RateWindow Commits { get; } = new();

        public TrafficLimits Limits(TrafficControlPolicies? policies)
        {
            var parsed = Volatile.Read(ref _parsed);
            if (!ReferenceEquals(parsed.Policies, policies))
            {
                parsed = new(policies, TrafficLimits.From(policies));
                Volatile.Write(ref _parsed, parsed);
            }

            return parsed.Limits;
        }

        private sealed record Parsed(TrafficControlPolicies? Policies, TrafficLimits Limits);
    }
}
