using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PartnerZones.ControlPlane.Web.Pages;

public sealed class SignInModel(AdminSignIn signIn) : PageModel
{
    public string? UserName { get; private set; }

    public string? Error { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    /// <summary>Came here from a page, so the session has ended (or never started).</summary>
    public bool Expired { get; private set; }

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
        var principal = await signIn.CheckAsync(user, password, HttpContext.RequestAborted);
        if (principal is null)
        {
            Error = "Wrong user name or password.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, new AuthenticationProperties { IsPersistent = false });
        return LocalRedirect(ReturnUrl);
    }

    /// <summary>Only paths on this console, so a crafted link cannot send a signed-in user elsewhere.</summary>
    private string Local(string? url) => url is not null && Url.IsLocalUrl(url) ? url : "/";
}
