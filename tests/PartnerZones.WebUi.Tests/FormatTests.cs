using PartnerZones.ControlPlane.Usage;
using PartnerZones.ControlPlane.Web;
using PartnerZones.Gateway;

namespace PartnerZones.WebUi.Tests;

/// <summary>Narrow checks of what the pages print: byte counts, relative times, the gateway's metrics as read
/// back, and validator messages sorted by field.</summary>
public sealed class FormatTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(10 * 1024 * 1024, "10 MB")]
    [InlineData(5L * 1024 * 1024 * 1024 * 1024, "5 TB")]
    public void Bytes_read_as_people_write_them(long bytes, string expected) => Assert.Equal(expected, Format.Bytes(bytes));

    [Fact]
    public void Times_are_relative_near_now_and_dates_further_away()
    {
        var now = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal("just now", Format.Relative(now.AddSeconds(-10), now));
        Assert.Equal("just now", Format.Relative(now.AddSeconds(2), now));
        Assert.Equal("in a few seconds", Format.Relative(now.AddSeconds(30), now));
        Assert.Equal("1 minute ago", Format.Relative(now.AddMinutes(-1), now));
        Assert.Equal("3 hours ago", Format.Relative(now.AddHours(-3), now));
        Assert.Equal("in 30 days", Format.Relative(now.AddDays(30), now));
        Assert.Equal("2026-01-01 08:30 UTC", Format.Relative(new DateTimeOffset(2026, 1, 1, 8, 30, 0, TimeSpan.Zero), now));
    }

    [Fact]
    public void The_gateways_own_metrics_text_reads_back_per_zone()
    {
        var metrics = new GatewayMetrics();
        var zone = metrics.Zone("acme \"quoted\"");
        zone.Opened();
        zone.Request(120);
        zone.Response(4000);
        metrics.Zone("idle");
        var now = DateTimeOffset.UtcNow;

        var usage = GatewayUsage.Parse(metrics.Render(), now);

        var acme = usage.For("acme \"quoted\"");
        Assert.Equal(1, acme.Connections);
        Assert.Equal(120, acme.BytesIn);
        Assert.Equal(4000, acme.BytesOut);
        Assert.Equal(1, acme.Requests);
        Assert.NotNull(acme.LastSeen);
        Assert.InRange(acme.LastSeen!.Value, now.AddMinutes(-1), now.AddMinutes(1));
        Assert.Null(usage.For("idle").LastSeen);
        Assert.Same(ZoneUsage.None, usage.For("unknown"));
    }

    [Fact]
    public void The_limits_holding_a_zone_back_now_read_back_from_the_gateways_metrics()
    {
        var metrics = new GatewayMetrics();
        metrics.Zone("acme").Request(10);
        var nowMs = Environment.TickCount64;
        // Consume and produce hold acme back for a minute yet; its commit limit did, but no longer does.
        metrics.Traffic.Throttled("acme", "produce", 500, 1000, nowMs + 60_000);
        metrics.Traffic.Throttled("acme", "consume", 500, 1000, nowMs + 60_000);
        metrics.Traffic.Throttled("acme", "commit", 10, 1, nowMs - 1);
        metrics.Traffic.Throttled("other", "commit", 10, 1, nowMs - 1);

        var usage = GatewayUsage.Parse(metrics.Render(), DateTimeOffset.UtcNow);

        Assert.Equal(["consume", "produce"], usage.For("acme").ThrottledBy);
        Assert.Equal(10, usage.For("acme").BytesIn);
        Assert.Empty(usage.For("other").ThrottledBy);
    }

    [Fact]
    public void Validator_messages_land_on_their_fields()
    {
        var errors = FieldErrors.From([
            "PartnerZone 'x': metadata.name 'X' must be lower-case letters, digits and '-', starting and ending with a letter or digit; name the zone like 'acme-orders'.",
            "PartnerZone 'x': spec.topics[1].name is empty; set it to the name the partner will use.",
            "PartnerZone 'x': no service account; set spec.serviceAccount to the name partners log in with.",
            "something without a field",
        ]);
        Assert.StartsWith("metadata.name 'X'", Assert.Single(errors.For("metadata.name")));
        Assert.Single(errors.For("spec.topics[1].name"));
        Assert.Single(errors.For("spec.serviceAccount"));
        Assert.Equal(["something without a field"], errors.General);
        Assert.True(errors.AnyUnder("spec.topics"));
    }
}
