using System.Net;
using PartnerZones.ControlPlane.Configuration;

namespace PartnerZones.ControlPlane.Tests.Security;

/// <summary>Web UI sessions live on the server: signing out ends them for every copy of the cookie, and
/// they end at an absolute lifetime however active they are.</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task A_cookie_replayed_after_sign_out_is_refused_and_the_zone_stays()
    {
        await using var console = await SecurityConsole.StartAsync();
        var zone = await console.CreateZoneAsync();
        using var browser = new WebBrowser(console);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
        var token = await browser.FormTokenAsync($"/zones/{zone}/delete");
        var stolen = browser.CookieHeader;
        Assert.Contains("pz_session=", stolen);

        var signOut = await browser.PostAsync("/signout", token);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/signin", WebBrowser.RedirectPath(signOut));

        // Whoever copied the cookies (and a form token) before the sign-out replays them.
        using var attacker = console.Client();
        using var delete = WebBrowser.Form($"/zones/{zone}/delete", token, ("confirm", "DELETE"));
        delete.Headers.Add("Cookie", stolen);
        var replayed = await attacker.SendAsync(delete);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Contains("Signed out", await replayed.Content.ReadAsStringAsync());
        Assert.True(await console.ZoneExistsAsync(zone), "the replayed cookie deleted the zone");

        using var page = new HttpRequestMessage(HttpMethod.Get, $"/zones/{zone}");
        page.Headers.Add("Cookie", stolen);
        var pageAnswer = await attacker.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, pageAnswer.StatusCode);
        Assert.Equal("/signin", WebBrowser.RedirectPath(pageAnswer));
    }

    [Fact]
    public async Task A_session_ends_at_its_lifetime_however_active()
    {
        var time = new ManualTime();
        await using var console = await SecurityConsole.StartAsync(
            spec => spec with { Sessions = new SessionConfig { IdleMinutes = 30, LifetimeHours = 1 } },
            new ControlPlane.ConsoleHostOptions { Time = time });
        using var browser = new WebBrowser(console);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);

        // A request every 20 minutes keeps the 30-minute idle timeout from ever ending the session...
        for (var minutes = 20; minutes < 60; minutes += 20)
        {
            time.Advance(TimeSpan.FromMinutes(20));
            var answer = await browser.Http.GetAsync("/");
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"after {minutes} minutes of activity the session was refused ({(int)answer.StatusCode})");
        }

        // ...but an hour after sign-in it is over.
        time.Advance(TimeSpan.FromMinutes(20));
        var late = await browser.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Equal("/signin", WebBrowser.RedirectPath(late));

        // Signing in again starts a new session.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/")).StatusCode);
    }
}
