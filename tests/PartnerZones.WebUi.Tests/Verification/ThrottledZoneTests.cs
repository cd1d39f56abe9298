using Confluent.Kafka;
using Microsoft.Playwright;
using PartnerZones.Resources;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>A zone's page says whether the gateway holds the zone back by its limits now: "No" for a
/// zone within them, and the limit's name while a real producer writes far past the zone's
/// maxProduceRate (the gateway's own throttling gauge, read from its metrics).</summary>
[Collection(WebUiCollection.Name)]
public sealed class ThrottledZoneTests(WebUiStack stack)
{
    private const string Name = "verify-throttled";

    [Fact]
    public async Task The_zone_page_shows_the_limit_holding_the_zone_back_now()
    {
        var zone = WebUiStack.Zone(Name, ("verify-throttled-orders", "orders", "WRITE"));
        await stack.ApplyZoneAsync(zone with { Spec = zone.Spec with { TrafficControlPolicies = new TrafficControlPolicies { MaxProduceRate = 1024 } } });
        await Verify.WaitForStatusAsync(stack, Name, "READY");
        var credential = await Verify.IssueAsync(stack, Name);

        var page = await stack.SignedInPageAsync();
        await page.GotoAsync($"{stack.BaseUrl}/zones/{Name}");
        await Assertions.Expect(page.Locator("[data-usage=throttled]")).ToHaveTextAsync("No");

        // 64 KB at 1 KB/s: the gateway answers with throttle times and mutes the producer's connection.
        using var producer = Verify.Producer(stack, credential);
        var value = new string('x', 4096);
        for (var i = 0; i < 16; i++)
        {
            producer.Produce("verify-throttled-orders", new Message<string, string> { Key = "k", Value = value });
        }

        producer.Flush(TimeSpan.FromSeconds(5));
        await Verify.WaitForAsync(async () =>
        {
            await page.ReloadAsync();
            return (await page.Locator("[data-usage=throttled]").TextContentAsync())?.Contains("produce", StringComparison.Ordinal) == true;
        }, "the zone's page shows its produce limit holding it back");
    }
}
