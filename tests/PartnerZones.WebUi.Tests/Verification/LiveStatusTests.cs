using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>The details page and the list follow the reconciler without a reload: a failed zone fixed
/// elsewhere (through the API's path) turns Ready in both open pages, whose documents stay the same.</summary>
[Collection(WebUiCollection.Name)]
public sealed class LiveStatusTests(WebUiStack stack)
{
    private const string Name = "verify-live-status";

    [Fact]
    public async Task Details_and_list_badges_change_without_a_reload()
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone(Name, ("feed", "verify-no-such-topic", "READ")));
        await Verify.WaitForStatusAsync(stack, Name, "FAILED");

        var details = await stack.SignedInPageAsync();
        await details.GotoAsync($"{stack.BaseUrl}/zones/{Name}");
        var badge = details.Locator("[data-live-zone]");
        await Assertions.Expect(badge).ToHaveTextAsync("Failed");
        await Assertions.Expect(badge).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("verify-no-such-topic"));
        await Assertions.Expect(details.Locator("[data-failed-reason]")).ToBeVisibleAsync();

        var list = await details.Context.NewPageAsync();
        await list.GotoAsync(stack.BaseUrl + "/");
        var row = list.Locator($"tr[data-zone='{Name}'] [data-status-badge]");
        await Assertions.Expect(row).ToHaveTextAsync("Failed");

        // Markers that a navigation would wipe.
        await details.EvaluateAsync("window.__sameDocument = true");
        await list.EvaluateAsync("window.__sameDocument = true");

        // Fixed through the API's own path: the zone goes Pending, then the reconciler makes it Ready.
        await stack.ApplyZoneAsync(WebUiStack.Zone(Name, ("feed", "orders", "READ")));
        await Assertions.Expect(badge).ToHaveTextAsync("Ready", new() { Timeout = (float)Verify.Patience.TotalMilliseconds });
        await Assertions.Expect(badge).Not.ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("."));
        await Assertions.Expect(details.Locator("[data-failed-reason]")).ToBeHiddenAsync();
        await Assertions.Expect(row).ToHaveTextAsync("Ready", new() { Timeout = (float)Verify.Patience.TotalMilliseconds });
        await Assertions.Expect(row).ToHaveClassAsync("badge badge-ready");
        Assert.True(await details.EvaluateAsync<bool>("window.__sameDocument === true"), "the details page was not reloaded");
        Assert.True(await list.EvaluateAsync<bool>("window.__sameDocument === true"), "the list was not reloaded");
        await details.Context.CloseAsync();
    }
}
