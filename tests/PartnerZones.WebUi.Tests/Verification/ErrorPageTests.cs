using Microsoft.Playwright;
using PartnerZones.Resources;

namespace PartnerZones.WebUi.Tests.Verification;

/// <summary>An internal error on a UI page (a stored zone the console cannot read, written straight into
/// the store of a console of its own) answers a page in words: status 500, no exception name, no stack
/// trace, no source path. An unknown zone answers a 404 page the same way.</summary>
[Collection(WebUiCollection.Name)]
public sealed class ErrorPageTests(WebUiStack stack)
{
    private static readonly string[] Internals = ["   at ", "Exception", ".cs:line", "System.", "PartnerZones.ControlPlane", "StackTrace"];

    [Fact]
    public async Task An_internal_error_on_a_page_shows_no_stack_trace()
    {
        var directory = Directory.CreateTempSubdirectory("pz-webui-verify-").FullName;
        try
        {
            await using var console = await Verify.StartOwnConsoleAsync(stack, directory, withCluster: false);
            var url = console.Address.ToString().TrimEnd('/');
            await Verify.InsertRawAsync(console.Store, PartnerZone.KindName, "unreadable", "{\"cluster\": [this is not json");
            var page = await stack.NewPageAsync();
            await page.GotoAsync(url + "/signin");
            await page.GetByLabel("User name").FillAsync(WebUiStack.ConsoleAdminName);
            await page.GetByLabel("Password").FillAsync(WebUiStack.ConsoleAdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url + "/");

            foreach (var path in new[] { "/", "/zones/unreadable", "/zones/unreadable/edit" })
            {
                var response = await page.GotoAsync(url + path);
                Assert.NotNull(response);
                Assert.Equal(500, response.Status);
                Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong" })).ToBeVisibleAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to Partner Zones" })).ToBeVisibleAsync();
                var html = await page.ContentAsync();
                foreach (var text in Internals)
                {
                    Assert.DoesNotContain(text, html, StringComparison.Ordinal);
                }
            }

            await WebUiStack.ScreenshotAsync(page, "error-page");
            var missing = await page.GotoAsync(url + "/zones/no-such-zone");
            Assert.Equal(404, missing!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
