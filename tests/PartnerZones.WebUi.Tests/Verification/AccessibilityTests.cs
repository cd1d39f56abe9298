using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>Every page, every step: each input, select, textarea, button and link has an accessible name
/// (what a screen reader announces and what Playwright's label queries find), every POST form carries the
/// antiforgery token, and nothing scrolls sideways at 1280×800 or at 390×844.</summary>
[Collection(WebUiCollection.Name)]
public sealed partial class AccessibilityTests(WebUiStack stack)
{
    private const string Name = "verify-a11y";

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Every_control_is_named_every_form_has_the_token_and_nothing_scrolls_sideways(int width, int height)
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone(Name, ("orders", "orders", "READ"), ("invoices", "invoices", "WRITE")));

        var anonymous = await stack.NewPageAsync(width, height);
        await anonymous.GotoAsync(stack.BaseUrl + "/signin");
        await CheckAsync(anonymous, "sign-in");
        await anonymous.Context.CloseAsync();

        var page = await stack.SignedInPageAsync(width, height);
        await CheckAsync(page, "list");
        await page.GotoAsync($"{stack.BaseUrl}/zones/{Name}");
        await CheckAsync(page, "details");
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await CheckAsync(page, "delete dialog");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await page.GotoAsync($"{stack.BaseUrl}/zones/{Name}/delete");
        await CheckAsync(page, "delete page");
        await page.GotoAsync($"{stack.BaseUrl}/zones/{Name}/edit");
        await CheckAsync(page, "edit");

        await page.GotoAsync(stack.BaseUrl + "/create");
        await CheckAsync(page, "create: details");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("verify-a11y-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Search topics")).ToBeVisibleAsync();
        await CheckAsync(page, "create: topics");
        await page.GetByLabel("Share orders").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Limits and headers" }).ClickAsync();
        await Assertions.Expect(page.Locator("form[data-step=policies]")).ToBeVisibleAsync();
        await CheckAsync(page, "create: limits and headers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
        await Assertions.Expect(page.Locator("#review-yaml")).ToBeVisibleAsync();
        await CheckAsync(page, "create: review");
        await page.Context.CloseAsync();
    }

    private static async Task CheckAsync(IPage page, string where)
    {
        // Named controls: only those a user can reach (visible; hidden inputs carry data, not controls).
        var controls = page.Locator("input:not([type=hidden]):visible, select:visible, textarea:visible, button:visible:not([aria-hidden=true]), a[href]:visible");
        var count = await controls.CountAsync();
        Assert.True(count > 0, $"{where}: no controls found");
        for (var i = 0; i < count; i++)
        {
            var control = controls.Nth(i);
            var what = await control.EvaluateAsync<string>("e => e.outerHTML.slice(0, 160)");
            try
            {
                await Assertions.Expect(control).ToHaveAccessibleNameAsync(NotBlank(), new() { Timeout = 5_000 });
            }
            catch (PlaywrightException)
            {
                Assert.Fail($"{where}: a control without an accessible name: {what}");
            }
        }

        // Form fields are tied to a <label> or an aria-label, so GetByLabel finds each one.
        var fields = page.Locator("input:not([type=hidden]):visible, select:visible, textarea:visible");
        var labelled = await fields.EvaluateAllAsync<bool[]>(
            "els => els.map(e => (e.labels && e.labels.length > 0) || !!e.getAttribute('aria-label') || !!e.getAttribute('aria-labelledby'))");
        Assert.All(labelled, l => Assert.True(l, $"{where}: a field with neither a <label> nor an aria-label"));

        // CSRF: each POST form carries the antiforgery token.
        var tokens = await page.Locator("form").EvaluateAllAsync<bool[]>(
            "forms => forms.filter(f => f.method.toLowerCase() === 'post').map(f => !!f.querySelector('input[name=__csrf]') && f.querySelector('input[name=__csrf]').value.length > 20)");
        Assert.All(tokens, t => Assert.True(t, $"{where}: a POST form without the antiforgery token"));

        Assert.False(await Verify.OverflowsAsync(page), $"{where}: the page scrolls sideways at {page.ViewportSize?.Width}px");
    }

    [GeneratedRegex(@"\S")]
    private static partial Regex NotBlank();
}
