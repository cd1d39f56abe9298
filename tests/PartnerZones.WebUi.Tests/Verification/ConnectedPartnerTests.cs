using System.Globalization;
using Confluent.Kafka;
using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>With a real partner client connected: the list's "partners connected now" counts it (from the
/// gateway's metrics), the details page's usage shows its traffic and the credential's last login, a credential generated on the page is
/// shown once and its copy button copies it, and deleting the zone through the dialog cuts the client.</summary>
[Collection(WebUiCollection.Name)]
public sealed class ConnectedPartnerTests(WebUiStack stack)
{
    private const string Name = "verify-connected";

    [Fact]
    public async Task Totals_usage_generate_once_copy_and_delete_cuts_the_partner()
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone(Name, ("verify-orders", "orders", "WRITE")));
        await Verify.WaitForStatusAsync(stack, Name, "READY");
        var credential = await Verify.IssueAsync(stack, Name);
        using var producer = Verify.Producer(stack, credential);
        var delivered = await producer.ProduceAsync("verify-orders", new Message<string, string> { Key = "k", Value = "v" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        Assert.True(await Verify.ZoneConnectionsAsync(stack, Name) >= 1, "the gateway counts the producer's connection");

        // The list's total counts connections open now; it reads the gateway at most every 5 s, so reload until it shows.
        var page = await stack.SignedInPageAsync();
        await Verify.WaitForAsync(async () =>
        {
            await page.ReloadAsync();
            var text = await page.Locator("#total-connected").TextContentAsync();
            return long.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) && n >= 1;
        }, "the list's 'Partners connected now' counts the connected producer");

        // Details: the usage figures are the gateway's, not placeholders.
        await page.GotoAsync($"{stack.BaseUrl}/zones/{Name}");
        var connections = long.Parse(await page.Locator("[data-usage=connections]").TextContentAsync() ?? "", NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.True(connections >= 1, $"connected clients shows {connections}");
        await Assertions.Expect(page.Locator("[data-usage=bytes-in]")).Not.ToHaveTextAsync("0 B");
        await Assertions.Expect(page.Locator("[data-usage=bytes-out]")).Not.ToHaveTextAsync("0 B");
        await Assertions.Expect(page.Locator("[data-usage=last-seen] time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(just now|\\d+ minutes? ago)$"));
        await Assertions.Expect(page.Locator($"tr[data-credential='{credential.Id}']")).ToHaveCountAsync(1);
        // Last used: the producer's login, as the gateway saw it.
        await Assertions.Expect(page.Locator($"tr[data-credential='{credential.Id}'] td:nth-child(4) time"))
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(just now|\\d+ minutes? ago)$"));

        // Generate: the password appears once, the copy button puts it on the clipboard.
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = stack.BaseUrl });
        await page.GetByLabel("Valid for").SelectOptionAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate credential" }).ClickAsync();
        var password = (await page.Locator("#cred-password").TextContentAsync())!.Trim();
        Assert.True(password.Length >= 20, "a password is shown");
        await Assertions.Expect(page.Locator("tr[data-credential]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("tr[data-credential] td:nth-child(3)")).ToContainTextAsync(["in 7 days"]);
        await Assertions.Expect(page.Locator($"tr[data-credential]:not([data-credential='{credential.Id}']) td:nth-child(4)")).ToHaveTextAsync("never seen");
        var copy = page.Locator("[data-copy=cred-password]");
        await Assertions.Expect(copy).ToBeVisibleAsync();
        await copy.ClickAsync();
        await Assertions.Expect(copy).ToHaveTextAsync("Copied");
        Assert.Equal(password, await page.EvaluateAsync<string>("navigator.clipboard.readText()").WaitAsync(TimeSpan.FromSeconds(30)));
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download config.properties" }).ClickAsync());
        Assert.Contains($"sasl.password={password}", await File.ReadAllTextAsync((await download.PathAsync())!));

        // Shown once: the same page loaded again has no password and no secret panel.
        await page.GotoAsync($"{stack.BaseUrl}/zones/{Name}");
        await Assertions.Expect(page.Locator("[data-new-credential]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(password, await page.ContentAsync());
        await Assertions.Expect(page.Locator("tr[data-credential]")).ToHaveCountAsync(2);

        // Delete through the dialog: the zone goes, and the gateway closes the partner's session.
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Type DELETE to confirm").FillAsync("DELETE");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"{stack.BaseUrl}/?deleted={Name}");
        await Assertions.Expect(page.Locator($"tr[data-zone='{Name}']")).ToHaveCountAsync(0);
        await Verify.WaitForAsync(async () => await Verify.ZoneConnectionsAsync(stack, Name) == 0, "the deleted zone's partner connection is closed");
        var cut = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync("verify-orders", new Message<string, string> { Key = "k", Value = "after delete" }));
        Assert.NotEqual(ErrorCode.NoError, cut.Error.Code);
        await page.Context.CloseAsync();
    }
}
