using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.Resources;
using PartnerZones.Testing;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>A zone deleted while its gateway's admin API cannot be reached is not shown as gone: the delete
/// dialog leads to the zone's page, which says plainly that the partner can still connect and why the
/// deletion is pending, and the list shows it as Deleting (DESIGN §12).</summary>
[Collection(WebUiCollection.Name)]
public sealed class DeletionPendingTests(WebUiStack stack)
{
    private const string Name = "deletion-pending";

    [Fact]
    public async Task The_details_page_of_a_deleting_zone_says_the_partner_can_still_connect()
    {
        var directory = Directory.CreateTempSubdirectory("pz-webui-verify-").FullName;
        try
        {
            // Nothing listens on this port: the console cannot reach the gateway to confirm the removal.
            var deadUrl = $"http://127.0.0.1:{LoopbackPorts.FreeRange(1)}";
            var pace = new ReconcilerOptions { Interval = TimeSpan.FromSeconds(1), MinBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(2) };
            await using var console = await Verify.StartOwnConsoleAsync(stack, directory, withCluster: true, adminUrl: deadUrl, reconciler: pace);
            var zone = WebUiStack.Zone(Name, ("orders", "orders", "READ"));
            await console.Services.GetRequiredService<ResourceService>()
                .UpsertAsync(new PartnerZoneRules(), JsonSerializer.SerializeToElement(zone, ResourceJson.Options), false, CancellationToken.None);
            var url = console.Address.ToString().TrimEnd('/');
            var page = await stack.NewPageAsync();
            await Verify.SignInAsync(page, url);

            await page.GotoAsync($"{url}/zones/{Name}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Delete…" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog).ToContainTextAsync("Until then the zone shows as Deleting and the partner can still connect.");
            await dialog.GetByLabel("Type DELETE to confirm").FillAsync("DELETE");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();

            await page.WaitForURLAsync($"{url}/zones/{Name}?notice=deleting");
            var pending = page.Locator("[data-deletion-pending]");
            await Assertions.Expect(pending).ToHaveAttributeAsync("role", "alert");
            await Assertions.Expect(pending).ToContainTextAsync("Deletion pending: the partner can still connect.");
            await Assertions.Expect(page.Locator("[data-status-badge]")).ToHaveTextAsync("Deleting");
            // The reason arrives with the reconciler's next pass; the page follows it without a reload.
            await Assertions.Expect(page.Locator("[data-failed-reason-text]")).ToContainTextAsync("Deletion pending: gateway admin API at " + deadUrl);
            await Assertions.Expect(page.Locator("[data-failed-reason-text]")).ToContainTextAsync("is unreachable");
            await WebUiStack.ScreenshotAsync(page, "zone-deletion-pending");

            // Still listed, as Deleting, not as gone.
            await page.GotoAsync(url + "/");
            await Assertions.Expect(page.Locator($"tr[data-zone='{Name}'] [data-status-badge]")).ToHaveTextAsync("Deleting");
            await page.Context.CloseAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
