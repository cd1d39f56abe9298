using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Web;
using PartnerZones.Resources;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>The edit form is checked on the server by the API's own validator: the message beside the
/// field is the one the API gives for the same zone (its resource prefix aside), the field is marked
/// invalid, and nothing is saved. The script is off, so no browser-side check can be what answers.</summary>
[Collection(WebUiCollection.Name)]
public sealed class EditValidationTests(WebUiStack stack)
{
    private const string Name = "verify-edit-checks";

    [Fact]
    public async Task A_duplicate_alias_gets_the_api_validators_message_beside_its_field()
    {
        var zone = WebUiStack.Zone(Name, ("orders", "orders", "READ"), ("invoices", "invoices", "READ"));
        await stack.ApplyZoneAsync(zone);

        // What the API says about the same change.
        var changed = zone with { Spec = zone.Spec with { Topics = [zone.Spec.Topics[0], zone.Spec.Topics[1] with { Name = "orders" }] } };
        var service = stack.Console.Services.GetRequiredService<ResourceService>();
        var refused = await Assert.ThrowsAsync<RequestRejected>(() =>
            service.UpsertAsync(new PartnerZoneRules(), JsonSerializer.SerializeToElement(changed, ResourceJson.Options), true, CancellationToken.None));
        var apiMessage = Assert.Single(refused.Errors, e => e.Contains("spec.topics[1].name", StringComparison.Ordinal));
        var expected = apiMessage[(apiMessage.IndexOf("': ", StringComparison.Ordinal) + 3)..];

        var context = await stack.Browser.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await Verify.SignInAsync(page, stack.BaseUrl);
        await page.GotoAsync($"{stack.BaseUrl}/zones/{Name}/edit");
        await page.GetByLabel("Alias for invoices").FillAsync("orders");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(400, response.Status);

        var row = page.Locator("tr[data-topic-row]", new() { Has = page.GetByLabel("Alias for invoices") });
        await Assertions.Expect(row.Locator(".field-error")).ToHaveTextAsync(expected);
        await Assertions.Expect(page.GetByLabel("Alias for invoices")).ToHaveAttributeAsync("aria-invalid", "true");
        var stored = await stack.Console.Services.GetRequiredService<ZoneViews>().GetAsync(Name, CancellationToken.None);
        Assert.Equal(["orders", "invoices"], stored!.Spec.Topics.Select(t => t.Name));
        await context.CloseAsync();
    }
}
