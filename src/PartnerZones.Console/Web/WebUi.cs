using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Usage;

namespace PartnerZones.ControlPlane.Web;

/// <summary>
/// The web UI: Razor Pages under Web/Pages served at the console's root, cookie sign-in for the admins of
/// the console configuration, antiforgery tokens on every form (Razor Pages checks them on every POST),
/// and two small endpoints for the script (embedded CSS/JS, and zone statuses for live badges).
/// The REST API keeps its own API-key and Basic authentication; the session cookie is never accepted there,
/// so API calls cannot be forged from a browser that is signed in. Each session is also kept on the server
/// (<see cref="WebSessions"/>), so signing out ends it for every copy of its cookie, and antiforgery tokens
/// are bound to it (<see cref="SessionAntiforgeryData"/>).
/// </summary>
public static class WebUi
{
    public const string CookieName = "pz_session";

    public const string AntiforgeryCookieName = "pz_csrf";

    /// <summary>An idle session ends after this long unless spec.sessions says otherwise; each request within it extends it (sliding).</summary>
    public static readonly TimeSpan DefaultSessionIdleTimeout = TimeSpan.FromMinutes(Configuration.SessionConfig.DefaultIdleMinutes);

    /// <summary>Sessions idle out after <paramref name="sessionIdleTimeout"/>; their absolute lifetime is kept by <see cref="WebSessions"/>.</summary>
    public static void AddWebUi(this IServiceCollection services, TimeSpan sessionIdleTimeout)
    {
        services.AddRazorPages(options =>
            {
                options.RootDirectory = "/Web/Pages";
                options.Conventions.AuthorizeFolder("/");
                options.Conventions.AllowAnonymousToPage("/SignIn");
            })
            .AddApplicationPart(typeof(WebUi).Assembly);
        // Keys live in memory: a restart signs everyone out, and no key material is written to disk.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request was https (directly, or as a trusted proxy says).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__csrf";
        });
        services.AddSingleton<IAntiforgeryAdditionalDataProvider, SessionAntiforgeryData>();
        services.AddSingleton<WebSessions>();
        // The cookie handler reads the console's clock, so the idle and absolute limits agree in tests with a manual clock.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((options, time) => options.TimeProvider = time);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = sessionIdleTimeout;
            options.SlidingExpiration = true;
            options.LoginPath = "/signin";
            options.LogoutPath = "/signout";
            options.ReturnUrlParameter = "returnUrl";
            options.Events.OnValidatePrincipal = async context =>
            {
                // A cookie counts only while its session is on: not signed out, within its lifetime, same password.
                if (!context.HttpContext.RequestServices.GetRequiredService<WebSessions>().IsActive(context.Principal))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
                }
            };
            options.Events.OnSigningOut = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<WebSessions>().End(context.HttpContext.User);
                return Task.CompletedTask;
            };
            options.Events.OnRedirectToLogin = context =>
            {
                // Script calls get a status, not a sign-in page; so does a form posted without a session
                // (a redirect would drop what it meant to change, and say nothing about why).
                if (context.Request.Path.StartsWithSegments(UiRoutes.Internal)
                    || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }

                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.AddAuthorization();
        services.AddSingleton<AdminSignIn>();
        services.AddSingleton<TopicCatalog>();
        services.AddSingleton<UsageReader>();
        services.AddSingleton<UsageBaselines>();
        services.AddSingleton<ZoneViews>();
        services.AddSingleton<GatewayHttp>();
    }

    public static void UseWebUi(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            if (IsPage(context.Request))
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
            }

            await next(context).ConfigureAwait(false);
        });
        app.MapRazorPages();
        WebAssets.Map(app);
        StatusEndpoint.Map(app);
    }

    /// <summary>Whether a request is for the UI (not the API, OpenAPI or health), so errors answer in HTML.</summary>
    public static bool IsPage(HttpRequest request)
    {
        var path = request.Path;
        return !(path.StartsWithSegments("/api") || path.StartsWithSegments("/public") || path.StartsWithSegments("/openapi")
            || path.StartsWithSegments("/health") || path.StartsWithSegments(UiRoutes.Internal));
    }

    /// <summary>Writes a small HTML page for a bodiless error status or an exception on a UI path: the
    /// reason in words, never a stack trace.</summary>
    public static async Task WriteErrorPageAsync(HttpContext http, string title, string message)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        var body = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)} · Partner Zones</title><link rel="stylesheet" href="{WebAssets.Url("site.css")}"></head>
            <body><main class="page narrow"><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p>
            <p><a href="/">Back to Partner Zones</a></p></main></body></html>
            """;
        await http.Response.WriteAsync(body).ConfigureAwait(false);
    }

    /// <summary>The words for a bodiless status on a UI path.</summary>
    public static (string Title, string Message) DescribeStatus(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => ("Page not found", $"Nothing is served at {http.Request.Path}."),
        StatusCodes.Status400BadRequest when http.Request.Method == HttpMethods.Post =>
            ("Form expired", "The form could not be accepted: its security token is missing or out of date (for example after the console restarted or you signed in again). Go back, reload the page and submit again."),
        StatusCodes.Status405MethodNotAllowed => ("Not allowed", $"{http.Request.Method} is not served at {http.Request.Path}."),
        StatusCodes.Status401Unauthorized => ("Signed out",
            "Your session has ended (you signed out, it expired, or the console restarted), so nothing was changed. Sign in again and repeat what you were doing."),
        var other => ("Error", $"The console answered {other} to {http.Request.Method} {http.Request.Path}."),
    };
}

/// <summary>Paths of the UI that are not pages.</summary>
public static class UiRoutes
{
    /// <summary>Assets and JSON for the UI's script; not part of the public API.</summary>
    public const string Internal = "/ui";
}
