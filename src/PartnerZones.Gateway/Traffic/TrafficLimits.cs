using PartnerZones.Resources;

namespace PartnerZones.Gateway.Traffic;

/// <summary>A zone's rate limits as the gateway enforces them; each null when unlimited. Zero or negative
/// values count as unlimited too, so a slip in a resource never stops a partner's traffic.</summary>
public sealed record TrafficLimits(long? ProduceBytesPerSecond, long? ConsumeBytesPerSecond, int? CommitsPerMinute)
{
    public static TrafficLimits None { get; } = new(null, null, null);

    public bool Any => ProduceBytesPerSecond is not null || ConsumeBytesPerSecond is not null || CommitsPerMinute is not null;

    public static TrafficLimits From(TrafficControlPolicies? policies) =>
        policies is null
            ? None
            : new(Positive(policies.MaxProduceRate), Positive(policies.MaxConsumeRate), policies.LimitCommitOffset is > 0 ? policies.LimitCommitOffset : null);

    private static long? Positive(long? value) => value is > 0 ? value : null;
}
