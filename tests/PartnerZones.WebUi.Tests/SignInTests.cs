using System.Net;
using Microsoft.Playwright;

namespace PartnerZones.WebUi.Tests;

/// <summary>Sign-in, sessions and CSRF protection.</summary>
[Collection(WebUiCollection.Name)]
public sealed class SignInTests(WebUiStack stack)
{
    [Fact]
    public async Task Pages_need_a_session_and_a_wrong_password_is_refused()
    {
        var page = await stack.NewPageAsync();
        await page.GotoAsync(stack.BaseUrl + "/create");
        Assert.StartsWith(stack.BaseUrl + "/signin", page.Url);
        Assert.Contains("returnUrl=%2Fcreate", page.Url);
        await Assertions.Expect(page.GetByText("Sign in to continue to the page you asked for")).ToBeVisibleAsync();

        await page.GetByLabel("User name").FillAsync(WebUiStack.ConsoleAdminName);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Url.StartsWith(stack.BaseUrl + "/signin", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(401, response.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
        Assert.StartsWith(stack.BaseUrl + "/signin", page.Url);
        await WebUiStack.ScreenshotAsync(page, "signin-failed");

        await page.GetByLabel("Password").FillAsync(WebUiStack.ConsoleAdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(stack.BaseUrl + "/create", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create a partner zone" })).ToBeVisibleAsync();

        // Signing out ends the session: the next page asks for a sign-in again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(stack.BaseUrl + "/signin");
        await page.GotoAsync(stack.BaseUrl + "/");
        Assert.StartsWith(stack.BaseUrl + "/signin", page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_idle_session_expires()
    {
        await using var console = await stack.StartSecondConsoleAsync(sessionIdleTimeout: TimeSpan.FromSeconds(3));
        var url = console.Address.ToString().TrimEnd('/');
        var page = await stack.NewPageAsync();
        await page.GotoAsync(url + "/signin");
        await page.GetByLabel("User name").FillAsync(WebUiStack.ConsoleAdminName);
        await page.GetByLabel("Password").FillAsync(WebUiStack.ConsoleAdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(url + "/");

        await Task.Delay(TimeSpan.FromSeconds(5));
        await page.GotoAsync(url + "/create");
        Assert.StartsWith(url + "/signin", page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cookies_put_back_after_sign_out_do_not_sign_the_browser_in()
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone("replay-target", ("orders", "orders", "READ")));
        var page = await stack.SignedInPageAsync();
        var saved = await page.Context.CookiesAsync();
        Assert.Contains(saved, c => c.Name == "pz_session");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(stack.BaseUrl + "/signin");
        // What someone who copied the cookies before the sign-out would do with them.
        await page.Context.AddCookiesAsync(saved.Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Url = stack.BaseUrl }));
        await page.GotoAsync(stack.BaseUrl + "/zones/replay-target/delete");
        Assert.StartsWith(stack.BaseUrl + "/signin", page.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Too_many_wrong_passwords_pause_sign_in_with_a_message()
    {
        // A console of its own: its failure budget is spent here, not the shared console's.
        await using var console = await stack.StartSecondConsoleAsync();
        var url = console.Address.ToString().TrimEnd('/');
        var page = await stack.NewPageAsync();
        await page.GotoAsync(url + "/signin");
        IResponse? last = null;
        for (var attempt = 0; attempt <= new PartnerZones.ControlPlane.Security.LoginLimits().PasswordFailuresPerSource; attempt++)
        {
            await page.GetByLabel("User name").FillAsync(WebUiStack.ConsoleAdminName);
            await page.GetByLabel("Password").FillAsync("not-the-password");
            last = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
                r => r.Url.StartsWith(url + "/signin", StringComparison.Ordinal) && r.Request.Method == "POST");
        }

        Assert.Equal(429, last!.Status);
        Assert.True(int.Parse(last.Headers["retry-after"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many failed sign-ins");
        await WebUiStack.ScreenshotAsync(page, "signin-limited");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Sign_in_page_screenshot()
    {
        var page = await stack.NewPageAsync();
        await page.GotoAsync(stack.BaseUrl + "/signin");
        await Assertions.Expect(page.GetByLabel("User name")).ToBeFocusedAsync();
        await WebUiStack.ScreenshotAsync(page, "signin");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        await stack.ApplyZoneAsync(WebUiStack.Zone("csrf-target", ("orders", "orders", "READ")));
        var page = await stack.SignedInPageAsync();

        // The browser holds a valid session cookie; a form post without the token (what another site
        // could make the browser send) must change nothing.
        var forged = await page.Context.APIRequest.PostAsync(stack.BaseUrl + "/zones/csrf-target/delete", new()
        {
            Form = FormOf(page.Context.APIRequest, ("confirm", "DELETE")),
            Headers = new Dictionary<string, string> { ["Accept"] = "text/html" },
        });
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("Form expired", await forged.TextAsync());
        Assert.DoesNotContain("   at ", await forged.TextAsync()); // no stack trace

        await page.GotoAsync(stack.BaseUrl + "/zones/csrf-target");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Zone csrf-target" })).ToBeVisibleAsync();

        // Without the session cookie at all, the status endpoint answers 401 rather than a sign-in page.
        using var anonymous = new HttpClient();
        var status = await anonymous.GetAsync(stack.BaseUrl + "/ui/status");
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        await page.Context.CloseAsync();
    }

    private static IFormData FormOf(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
