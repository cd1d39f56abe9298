using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Traffic;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Tests.Traffic;

/// <summary>A change of a zone's limits applies to live sessions at once and closes none of them: the
/// zone's policy snapshot (which sessions compare by reference) is kept, and the limits are read from the
/// current state on every use.</summary>
public sealed class LimitChangeTests
{
    [Fact]
    public void New_limits_apply_without_replacing_the_zone_policy()
    {
        var unlimited = Assert.Single(PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "zone"));
        var limited = unlimited with { Spec = unlimited.Spec with { TrafficControlPolicies = new TrafficControlPolicies { MaxProduceRate = 1000 } } };
        var before = new GatewayState([unlimited], [], []);
        var after = new GatewayState([new StateEntry<PartnerZone>(limited, 1, null)], [], [], before);
        var current = before;
        var traffic = new TrafficControl(() => current, new TrafficMetrics());
        var mute = new ConnectionMute();

        Assert.Equal(0, traffic.Produced(GatewayFixture.ZoneName, 5000, mute));
        current = after;
        Assert.Same(before.ZoneOf("johndoe"), after.ZoneOf("johndoe"));
        Assert.True(traffic.Produced(GatewayFixture.ZoneName, 5000, mute) > 0);
        Assert.True(traffic.IsThrottled(GatewayFixture.ZoneName));
    }
}
