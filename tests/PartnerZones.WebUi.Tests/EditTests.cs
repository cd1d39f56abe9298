using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests;

/// <summary>The edit page's rules: the last topic stays, an alias rename needs confirming, contact changes save.</summary>
[Collection(WebUiCollection.Name)]
public sealed class EditTests(WebUiStack stack)
{
    [Fact]
    public async Task The_last_topic_cannot_be_removed()
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone("edit-last", ("orders", "orders", "READ")));
        var page = await stack.SignedInPageAsync();
        await page.GotoAsync(stack.BaseUrl + "/zones/edit-last/edit");
        var remove = page.GetByLabel("Remove orders");
        await Assertions.Expect(remove).ToBeDisabledAsync();

        // The server holds the rule too (a browser without the script, or a crafted form).
        await remove.EvaluateAsync("box => { box.disabled = false; box.checked = true; }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.Locator("#topics-error")).ToContainTextAsync("The last topic cannot be removed");
        await page.GotoAsync(stack.BaseUrl + "/zones/edit-last");
        await Assertions.Expect(page.Locator("section[aria-labelledby=topics-h] tbody tr")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Renaming_an_alias_warns_and_needs_confirmation_and_topics_and_contact_change()
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone("edit-rename", ("orders", "orders", "READ"), ("invoices", "invoices", "READ")));
        var page = await stack.SignedInPageAsync();
        await page.GotoAsync(stack.BaseUrl + "/zones/edit-rename/edit");

        var alias = page.GetByLabel("Alias for orders");
        var warning = page.Locator("tr[data-topic-row]", new() { Has = alias }).Locator("[data-rename-warning]");
        await Assertions.Expect(warning).ToBeHiddenAsync();
        await alias.FillAsync("orders-v2");
        await Assertions.Expect(warning).ToBeVisibleAsync();
        await Assertions.Expect(warning).ToContainTextAsync("Renaming breaks partner clients that use orders");

        await page.GetByLabel("Remove invoices").CheckAsync();
        await page.GetByLabel("Add a backing topic").FillAsync("payments");
        await page.GetByLabel("Permission on the added topic").SelectOptionAsync("WRITE");
        await page.GetByLabel("Email").FillAsync("new-contact@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        // Not saved until the rename is confirmed; every other change is kept in the form.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Renaming breaks existing partner clients" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("orders → orders-v2")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync("new-contact@example.com");
        await WebUiStack.ScreenshotAsync(page, "edit-rename-warning");
        await page.GetByLabel("I understand; rename anyway").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await page.WaitForURLAsync(stack.BaseUrl + "/zones/edit-rename?notice=updated");
        var topics = page.Locator("section[aria-labelledby=topics-h] tbody");
        await Assertions.Expect(topics).ToContainTextAsync("orders-v2");
        await Assertions.Expect(topics).ToContainTextAsync("payments");
        await Assertions.Expect(topics).Not.ToContainTextAsync("invoices");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "new-contact@example.com" })).ToBeVisibleAsync();

        await page.GotoAsync(stack.BaseUrl + "/zones/edit-rename/edit");
        await WebUiStack.ScreenshotAsync(page, "edit");
        await page.Context.CloseAsync();
    }
}
