using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>The main flow with the keyboard only: Tab to move, Enter and Space to act, typing to fill;
/// no mouse click anywhere. Every control that takes focus on the way shows a visible focus ring.
/// Create a zone through the wizard, open it, delete it through the dialog.</summary>
[Collection(WebUiCollection.Name)]
public sealed class KeyboardFlowTests(WebUiStack stack)
{
    private const string Name = "verify-keys";
    private const int MaxTabs = 80;

    [Fact]
    public async Task Create_open_and_delete_a_zone_with_the_keyboard_alone()
    {
        var page = await stack.SignedInPageAsync();

        // List → wizard.
        await TabToAsync(page, "a[href='/create'].button");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(stack.BaseUrl + "/create");

        // Details: type the name; the service account follows.
        await TabToAsync(page, "#name");
        await page.Keyboard.TypeAsync(Name);
        await TabToAsync(page, "#displayName");
        await page.Keyboard.TypeAsync("Keyboard zone");
        await TabToAsync(page, "#contactEmail");
        await page.Keyboard.TypeAsync("keys@example.com");
        await Assertions.Expect(page.Locator("#serviceAccount")).ToHaveValueAsync(Name);
        await TabToAsync(page, "button.primary");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByLabel("Search topics")).ToBeVisibleAsync();

        // Topics: search, Space to pick, arrow to choose Read and write, Enter to go on.
        await TabToAsync(page, "#topic-search");
        await page.Keyboard.TypeAsync("ship");
        await Assertions.Expect(page.Locator("#topic-rows tr[data-filter-text]:visible")).ToHaveCountAsync(1);
        await TabToAsync(page, "input[aria-label='Share shipments']");
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.GetByLabel("Share shipments")).ToBeCheckedAsync();
        await TabToAsync(page, "select[aria-label='Permission on shipments']");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.GetByLabel("Permission on shipments")).ToHaveValueAsync("WRITE");
        await TabToAsync(page, "button.primary");
        await page.Keyboard.PressAsync("Enter");

        // Review → create.
        await Assertions.Expect(page.Locator("#review-yaml")).ToContainTextAsync("backingTopic: shipments");
        await TabToAsync(page, "button.primary");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New credential: copy it now" })).ToBeVisibleAsync();
        await TabToAsync(page, "[data-copy=cred-password]");
        await TabToAsync(page, "#download-properties");

        // Open the zone, then delete it through the dialog.
        await TabToAsync(page, $"a[href='/zones/{Name}']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"{stack.BaseUrl}/zones/{Name}");
        await TabToAsync(page, "a[data-opens-dialog]");
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByLabel("Type DELETE to confirm")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("DELETE");
        await TabToAsync(page, "dialog button[data-confirm-button]");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"{stack.BaseUrl}/?deleted={Name}");
        await Assertions.Expect(page.Locator($"tr[data-zone='{Name}']")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has focus, checking on
    /// every stop that the focused element shows a focus ring.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < MaxTabs; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var state = await page.EvaluateAsync<string[]>(
                """
                sel => {
                  const e = document.activeElement;
                  if (!e || e === document.body) return ["", "body", "0"];
                  const s = getComputedStyle(e);
                  const ring = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
                  return [e.matches(sel) ? "yes" : "no", e.outerHTML.slice(0, 120), ring ? "1" : "0"];
                }
                """, selector);
            if (state[1] != "body")
            {
                Assert.True(state[2] == "1", $"no visible focus on {state[1]}");
            }

            if (state[0] == "yes")
            {
                return;
            }
        }

        Assert.Fail($"{selector} not reached with {MaxTabs} presses of Tab");
    }
}
