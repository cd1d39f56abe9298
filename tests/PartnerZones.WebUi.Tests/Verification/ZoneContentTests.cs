using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PartnerZones.Resources;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>What the list row and the details page must show, fact by fact: display name and URL, topic
/// count, gateway, badge, last updated in words; topics with alias, backing topic and permission, the
/// description, the whole contact, usage figures in readable units, the credential columns.</summary>
[Collection(WebUiCollection.Name)]
public sealed partial class ZoneContentTests(WebUiStack stack)
{
    private const string Name = "verify-content";

    [Fact]
    public async Task The_list_row_and_the_details_page_show_every_fact_the_issue_lists()
    {
        var zone = WebUiStack.Zone(Name, ("partner-orders", "orders", "READ"), ("invoices", "invoices", "WRITE"));
        await stack.ApplyZoneAsync(zone with
        {
            Spec = zone.Spec with
            {
                DisplayName = "Verify content zone",
                Url = "https://wiki.example.com/verify-content",
                Description = "Verification: the warehouse reads orders and writes invoices.",
            },
        });
        var page = await stack.SignedInPageAsync();

        // The row: display name (a link to the zone), the zone's URL, topic count, gateway, badge, last updated.
        var row = page.Locator($"tr[data-zone='{Name}']");
        await Assertions.Expect(row.GetByRole(AriaRole.Link, new() { Name = "Verify content zone" })).ToHaveAttributeAsync("href", $"/zones/{Name}");
        await Assertions.Expect(row.Locator("td").Nth(0)).ToContainTextAsync("https://wiki.example.com/verify-content");
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("2");
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("Partner gateway");
        await Assertions.Expect(row.Locator("[data-status-badge]")).ToHaveTextAsync(new Regex("^(Pending|Ready|Failed)$"));
        var updated = row.Locator("td").Nth(4).Locator("time");
        await Assertions.Expect(updated).ToHaveTextAsync(RelativeTime());
        await Assertions.Expect(updated).ToHaveAttributeAsync("title", UtcDate());

        // Details.
        await row.GetByRole(AriaRole.Link, new() { Name = "Verify content zone" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Verify content zone", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".heading .url")).ToHaveTextAsync("https://wiki.example.com/verify-content");

        var topics = page.Locator("section[aria-labelledby=topics-h] tbody tr");
        await Assertions.Expect(topics).ToHaveCountAsync(2);
        await Assertions.Expect(topics.Nth(0).Locator("td")).ToHaveTextAsync(["partner-orders", "orders", "Read"]);
        await Assertions.Expect(topics.Nth(1).Locator("td")).ToHaveTextAsync(["invoices", "invoices", "Read and write"]);
        await Assertions.Expect(page.Locator("section[aria-labelledby=topics-h] thead th"))
            .ToHaveTextAsync(["Alias (what the partner sees)", "Backing topic", "Permission"]);

        await Assertions.Expect(page.Locator("section[aria-labelledby=about-h]")).ToContainTextAsync("Verification: the warehouse reads orders and writes invoices.");

        var contact = page.Locator("section[aria-labelledby=contact-h]");
        await Assertions.Expect(contact.Locator("dd")).ToHaveTextAsync(["Jane Roe", "Integration lead", "jane@example.com", "+44 20 7946 0000"]);
        await Assertions.Expect(contact.GetByRole(AriaRole.Link, new() { Name = "jane@example.com" })).ToHaveAttributeAsync("href", "mailto:jane@example.com");

        // Usage in readable units (the figures themselves are proven in ConnectedPartnerTests).
        await Assertions.Expect(page.Locator("[data-usage=bytes-in]")).ToHaveTextAsync(ByteCount());
        await Assertions.Expect(page.Locator("[data-usage=bytes-out]")).ToHaveTextAsync(ByteCount());
        await Assertions.Expect(page.Locator("[data-usage=connections]")).ToHaveTextAsync(new Regex(@"^\d[\d,]*$"));
        await Assertions.Expect(page.Locator("[data-usage=last-seen]")).ToBeVisibleAsync();

        // Credentials: generate one here, then the table has every column the issue lists.
        await page.GetByLabel("Valid for").SelectOptionAsync("90");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate credential" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New credential: copy it now" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section[aria-labelledby=creds-h] thead th"))
            .ToHaveTextAsync(["Id", "Created", "Expires", "Last used", "Actions"]);
        var credential = page.Locator("tr[data-credential]");
        await Assertions.Expect(credential).ToHaveCountAsync(1);
        var cells = credential.Locator("td");
        await Assertions.Expect(cells.Nth(0)).ToHaveTextAsync(await credential.GetAttributeAsync("data-credential") ?? "?");
        await Assertions.Expect(cells.Nth(1)).ToHaveTextAsync("just now");
        await Assertions.Expect(cells.Nth(2)).ToHaveTextAsync(UtcDate()); // 90 days away: far enough for a date
        await Assertions.Expect(cells.Nth(2).Locator("time")).ToHaveAttributeAsync("title", UtcDate());
        await Assertions.Expect(cells.Nth(3)).Not.ToBeEmptyAsync();
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"^(just now|\d+ (minute|hour|day)s? ago)$")]
    private static partial Regex RelativeTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$")]
    private static partial Regex UtcDate();

    [GeneratedRegex(@"^\d+(\.\d)? (B|KB|MB|GB|TB|PB)$")]
    private static partial Regex ByteCount();
}
