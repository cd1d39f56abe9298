using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests;

/// <summary>The zone list: totals, search and status filter, the failed reason on hover, narrow windows,
/// the empty state, and a delete without the script.</summary>
[Collection(WebUiCollection.Name)]
public sealed class ListTests(WebUiStack stack)
{
    [Fact]
    public async Task Search_and_status_filter_narrow_the_list_and_a_failed_zone_shows_its_reason()
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone("list-alpha", ("orders", "orders", "READ")));
        await stack.ApplyZoneAsync(WebUiStack.Zone("list-beta", ("invoices", "invoices", "READ"), ("payments", "payments", "WRITE")));
        // A backing topic the cluster does not have: the gateway refuses the zone, the reconciler marks it FAILED.
        await stack.ApplyZoneAsync(WebUiStack.Zone("list-broken", ("missing", "no-such-topic", "READ")));
        var page = await stack.SignedInPageAsync();

        await Assertions.Expect(page.Locator("tr[data-zone='list-alpha']")).ToBeVisibleAsync();
        var zones = int.Parse(await page.Locator("#total-zones").TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(await page.Locator("tr[data-zone]").CountAsync(), zones);
        Assert.True(int.Parse(await page.Locator("#total-topics").TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 4);

        await page.GetByLabel("Search").FillAsync("alpha");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-zone]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tr[data-zone='list-alpha']")).ToBeVisibleAsync();

        // Search also finds zones by topic.
        await page.GetByLabel("Search").FillAsync("payments");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-zone='list-beta']")).ToBeVisibleAsync();

        // The status filter applies on change; the failed zone explains itself on hover.
        await page.GotoAsync(stack.BaseUrl + "/");
        var broken = page.Locator("tr[data-zone='list-broken'] [data-status-badge]");
        await Assertions.Expect(broken).ToHaveTextAsync("Failed", new() { Timeout = 90_000 });
        await page.GetByLabel("Status").SelectOptionAsync("FAILED");
        await page.WaitForURLAsync(url => url.Contains("status=FAILED", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("tr[data-zone]")).ToHaveCountAsync(1);
        var reason = await broken.GetAttributeAsync("title");
        Assert.Contains("no-such-topic", reason);
        await broken.HoverAsync();
        await page.GotoAsync(stack.BaseUrl + "/");
        await WebUiStack.ScreenshotAsync(page, "zones");

        // Narrow window: the page reads without sideways scrolling of the page itself.
        var narrow = await stack.SignedInPageAsync(390, 844);
        Assert.True(await narrow.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page fits a narrow window");
        await WebUiStack.ScreenshotAsync(narrow, "zones-narrow");
        await narrow.GotoAsync(stack.BaseUrl + "/zones/list-beta");
        Assert.True(await narrow.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the details page fits a narrow window");
        await WebUiStack.ScreenshotAsync(narrow, "zone-details-narrow");
        await narrow.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Keyboard_reaches_the_controls_with_a_visible_focus()
    {
        var page = await stack.SignedInPageAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        var outline = await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Empty_state_explains_zones_and_delete_works_without_the_script()
    {
        await using var empty = await stack.StartSecondConsoleAsync();
        var page = await stack.NewPageAsync();
        var url = empty.Address.ToString().TrimEnd('/');
        await page.GotoAsync(url + "/signin");
        await page.GetByLabel("User name").FillAsync(WebUiStack.ConsoleAdminName);
        await page.GetByLabel("Password").FillAsync(WebUiStack.ConsoleAdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No partner zones yet" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("shares chosen Kafka topics with one external partner")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Create your first zone" })).ToHaveAttributeAsync("href", "/create");
        await WebUiStack.ScreenshotAsync(page, "zones-empty");
        await page.Context.CloseAsync();

        // Without JavaScript the Delete link opens a page with the same form; a wrong word deletes nothing.
        await stack.ApplyZoneAsync(WebUiStack.Zone("no-script", ("orders", "orders", "READ")));
        var context = await stack.Browser.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1280, Height = 800 } });
        var plain = await context.NewPageAsync();
        await plain.GotoAsync(stack.BaseUrl + "/signin");
        await plain.GetByLabel("User name").FillAsync(WebUiStack.ConsoleAdminName);
        await plain.GetByLabel("Password").FillAsync(WebUiStack.ConsoleAdminPassword);
        await plain.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await plain.GotoAsync(stack.BaseUrl + "/zones/no-script");
        await plain.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
        await plain.WaitForURLAsync(stack.BaseUrl + "/zones/no-script/delete");
        await plain.GetByLabel("Type DELETE to confirm").FillAsync("yes");
        await plain.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(plain.Locator("#confirm-error")).ToContainTextAsync("Type DELETE in capitals");
        await plain.GetByLabel("Type DELETE to confirm").FillAsync("DELETE");
        await plain.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        // Without a script nothing moves on by itself: the zone leaves the list once its gateway confirmed.
        await Verification.Verify.WaitForAsync(async () =>
        {
            await plain.GotoAsync(stack.BaseUrl + "/");
            return await plain.Locator("tr[data-zone='no-script']").CountAsync() == 0;
        }, "the deleted zone leaves the list once its gateway confirmed");
        await context.CloseAsync();
    }
}
