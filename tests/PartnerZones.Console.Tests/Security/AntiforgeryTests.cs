using System.Net;

namespace PartnerZones.ControlPlane.Tests.Security;

/// <summary>Form tokens are bound to the web session they were issued in, not to the admin's name.</summary>
public sealed class AntiforgeryTests
{
    [Fact]
    public async Task A_form_token_from_before_sign_in_or_from_an_earlier_session_is_refused()
    {
        await using var console = await SecurityConsole.StartAsync();
        var zone = await console.CreateZoneAsync();
        using var browser = new WebBrowser(console);
        var beforeSignIn = await browser.FormTokenAsync("/signin");

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
        var firstSession = await browser.FormTokenAsync($"/zones/{zone}/delete");
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync($"/zones/{zone}/delete", beforeSignIn, ("confirm", "DELETE"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/signout", firstSession)).StatusCode);

        // The same admin, the same browser, a new session: the old session's token is worthless.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
        var refused = await browser.PostAsync($"/zones/{zone}/delete", firstSession, ("confirm", "DELETE"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Form expired", await refused.Content.ReadAsStringAsync());
        Assert.True(await console.ZoneExistsAsync(zone), "a token from an earlier session deleted the zone");

        // The current session's own token works, so the refusals above were about the token.
        var current = await browser.FormTokenAsync($"/zones/{zone}/delete");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync($"/zones/{zone}/delete", current, ("confirm", "DELETE"))).StatusCode);
        Assert.False(await console.ZoneExistsAsync(zone));
    }

    [Fact]
    public async Task A_form_token_from_another_session_of_the_same_admin_is_refused()
    {
        await using var console = await SecurityConsole.StartAsync();
        var zone = await console.CreateZoneAsync();
        using var victim = new WebBrowser(console);
        using var other = new WebBrowser(console);
        Assert.Equal(HttpStatusCode.Redirect, (await victim.SignInAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync()).StatusCode);
        var otherToken = await other.FormTokenAsync($"/zones/{zone}/delete");

        // The other session's request token, with the other session's antiforgery cookie, sent on the victim's session.
        using var forged = WebBrowser.Form($"/zones/{zone}/delete", otherToken, ("confirm", "DELETE"));
        var otherCsrf = other.Cookies.GetAllCookies().Single(c => c.Name == "pz_csrf");
        var victimSession = victim.Cookies.GetAllCookies().Single(c => c.Name == "pz_session");
        forged.Headers.Add("Cookie", $"pz_session={victimSession.Value}; pz_csrf={otherCsrf.Value}");
        using var client = console.Client();
        var answer = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.True(await console.ZoneExistsAsync(zone));
    }
}
