using PartnerZones.Gateway.Traffic;

namespace PartnerZones.Gateway.Tests.Traffic;

/// <summary>The window's arithmetic on a made-up clock: a sender held to its throttle times gets the rate.</summary>
public sealed class RateWindowTests
{
    [Fact]
    public void Under_the_rate_nothing_is_throttled()
    {
        var window = new RateWindow();
        for (long t = 1_000; t < 30_000; t += 100)
        {
            Assert.Equal(0, window.Record(10, 200, t).ThrottleMs);
        }
    }

    [Fact]
    public void The_throttle_time_is_the_amount_over_the_rate_divided_by_the_rate()
    {
        var window = new RateWindow();
        // 3000 bytes at once against 1000 bytes/s over the one-second minimum window: 2000 over, 2 s.
        var (throttleMs, over) = window.Record(3000, 1000, 5_000);
        Assert.Equal(2000, throttleMs);
        Assert.Equal(2000, over);
    }

    [Fact]
    public void A_sender_that_waits_out_each_throttle_gets_the_rate()
    {
        var window = new RateWindow();
        const double Rate = 100_000;
        long now = 1_000, sent = 0;
        while (now < 61_000)
        {
            sent += 20_000;
            var (throttleMs, _) = window.Record(20_000, Rate, now);
            now += Math.Max(throttleMs, 10);
        }

        var achieved = sent / 60.0;
        Assert.InRange(achieved, Rate * 0.95, Rate * 1.05);
    }

    [Fact]
    public void Limits_from_the_resource_treat_missing_and_non_positive_as_unlimited()
    {
        Assert.False(TrafficLimits.From(null).Any);
        Assert.False(TrafficLimits.From(new Resources.TrafficControlPolicies { MaxProduceRate = 0, LimitCommitOffset = -1 }).Any);
        Assert.Equal(5, TrafficLimits.From(new Resources.TrafficControlPolicies { MaxConsumeRate = 5 }).ConsumeBytesPerSecond);
    }
}
