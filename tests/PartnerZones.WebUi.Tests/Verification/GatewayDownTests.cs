using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.Resources;
using PartnerZones.Testing;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>When the gateway does not answer, the pages say so in words and keep working: the details
/// page explains why usage and credentials are missing, generating a credential reports the gateway's
/// failure beside the form, and the wizard lets users type topic names. No exception text reaches the page.</summary>
[Collection(WebUiCollection.Name)]
public sealed class GatewayDownTests(WebUiStack stack)
{
    private static readonly string[] Internals = ["   at ", "Exception", ".cs:line", "StackTrace"];

    [Fact]
    public async Task Gateway_errors_read_as_sentences_on_the_pages()
    {
        var directory = Directory.CreateTempSubdirectory("pz-webui-verify-").FullName;
        try
        {
            // Nothing listens on this port: every call to the "gateway" is refused at once.
            var deadUrl = $"http://127.0.0.1:{LoopbackPorts.FreeRange(1)}";
            await using var console = await Verify.StartOwnConsoleAsync(stack, directory, withCluster: true, adminUrl: deadUrl);
            var zone = WebUiStack.Zone("gateway-down", ("orders", "orders", "READ"));
            await console.Services.GetRequiredService<ResourceService>()
                .UpsertAsync(new PartnerZoneRules(), JsonSerializer.SerializeToElement(zone, ResourceJson.Options), false, CancellationToken.None);
            var url = console.Address.ToString().TrimEnd('/');
            var page = await stack.NewPageAsync();
            await Verify.SignInAsync(page, url);

            var details = await page.GotoAsync(url + "/zones/gateway-down");
            Assert.Equal(200, details!.Status);
            await Assertions.Expect(page.Locator("section[aria-labelledby=usage-h]")).ToContainTextAsync("No usage figures:");
            await Assertions.Expect(page.Locator("section[aria-labelledby=usage-h]")).ToContainTextAsync(deadUrl);
            await Assertions.Expect(page.Locator("section[aria-labelledby=creds-h]")).ToContainTextAsync("Credentials cannot be listed now:");
            await NoInternalsAsync(page);

            await page.GetByRole(AriaRole.Button, new() { Name = "Generate credential" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The gateway could not issue a credential:");
            await Assertions.Expect(page.Locator("[data-new-credential]")).ToHaveCountAsync(0);
            await NoInternalsAsync(page);

            // The wizard explains the missing topic list and offers a row to type a topic.
            await page.GotoAsync(url + "/create");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("typed-topic");
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: topics" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The cluster's topic list could not be read");
            await page.GetByLabel("Backing topic not listed").FillAsync("orders");
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: review" }).ClickAsync();
            await Assertions.Expect(page.Locator("#review-yaml")).ToContainTextAsync("backingTopic: orders");
            await NoInternalsAsync(page);
            await page.Context.CloseAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task NoInternalsAsync(IPage page)
    {
        var html = await page.ContentAsync();
        foreach (var text in Internals)
        {
            Assert.DoesNotContain(text, html, StringComparison.Ordinal);
        }
    }
}
