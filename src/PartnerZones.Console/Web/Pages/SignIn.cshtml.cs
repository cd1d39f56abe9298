using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;

namespace PartnerZones.ControlPlane.Web.Pages;

public sealed class SignInModel(AdminSignIn signIn, ConsoleSettings settings, WebSessions sessions) : PageModel
{
    public string? UserName { get; private set; }

    public string? Error { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    /// <summary>Came here from a page, so the session has ended (or never started).</summary>
    public bool Expired { get; private set; }

    /// <summary>For the notice about expired sessions.</summary>
    public int IdleMinutes => (int)Math.Ceiling(settings.SessionIdleTimeout.TotalMinutes);

    public IActionResult OnGet(string? returnUrl)
    {
        ReturnUrl = Local(returnUrl);
        Expired = returnUrl is not null && ReturnUrl != "/";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? user, string? password, string? returnUrl)
    {
        ReturnUrl = Local(returnUrl);
        UserName = user;
        var (outcome, principal) = await signIn.CheckAsync(user, password, HttpContext.Connection.RemoteIpAddress, HttpContext.RequestAborted);
        switch (outcome)
        {
            case LoginOutcome.Accepted:
                // Signing in again from a signed-in browser replaces its session; the old one ends here.
                sessions.End(User);
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal!, new AuthenticationProperties { IsPersistent = false });
                // A new antiforgery cookie token for the new session: nothing issued before sign-in carries over.
                Response.Cookies.Delete(WebUi.AntiforgeryCookieName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, Secure = Request.IsHttps, HttpOnly = true });
                return LocalRedirect(ReturnUrl);
            case LoginOutcome.Limited limited:
                Response.Headers.RetryAfter = LoginOutcome.RetryAfterSeconds(limited.RetryAfter);
                Error = $"Too many failed sign-ins from your address or for this user. Sign-in is paused for {Wait(limited.RetryAfter)}; then try again with the right password.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            case LoginOutcome.Busy busy:
                Response.Headers.RetryAfter = LoginOutcome.RetryAfterSeconds(busy.RetryAfter);
                Error = "The console is busy checking other sign-ins. Wait a moment and try again.";
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Page();
            default:
                Error = "Wrong user name or password.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }

    /// <summary>A wait in words: minutes when it is longer than one, seconds otherwise.</summary>
    private static string Wait(TimeSpan wait) => wait > TimeSpan.FromMinutes(1)
        ? $"{(int)Math.Ceiling(wait.TotalMinutes)} minutes"
        : $"{LoginOutcome.RetryAfterSeconds(wait)} seconds";

    /// <summary>Only paths on this console, so a crafted link cannot send a signed-in user elsewhere.</summary>
    private string Local(string? url) => url is not null && Url.IsLocalUrl(url) ? url : "/";
}
