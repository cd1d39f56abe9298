using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PartnerZones.Gateway.Security;
using PartnerZones.Gateway.State;

namespace PartnerZones.Gateway.Admin;

/// <summary>
/// Who may use the gateway's HTTP port. Every endpoint needs an admin user's HTTP Basic credentials: the
/// authorization fallback policy applies to every request, mapped or not, whatever its spelling, so no path
/// check decides it. Only endpoints marked <c>AllowAnonymous</c> (health, metrics) are open.
/// </summary>
public static class AdminAuthentication
{
    public const string Scheme = "AdminBasic";

    /// <summary>Registers the HTTP Basic scheme and the require-authentication fallback policy.</summary>
    public static void AddAdminAuthentication(this IServiceCollection services, AdminUsers users, GatewayRuntime runtime, TimeProvider time)
    {
        var limits = runtime.Spec.Http.AdminLogin;
        services.AddSingleton(new AdminLoginGuard(users, new LoginThrottle(limits, time), new SemaphoreSlim(limits.ConcurrentChecks), runtime));
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, AdminBasicHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build());
    }

    /// <summary>Authentication and authorization, after routing (so endpoint metadata is known) and before any endpoint.</summary>
    public static void UseAdminAuthentication(this WebApplication app)
    {
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
    }

    /// <summary>The admin user a request authenticated as.</summary>
    public static string User(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? name
            : throw new InvalidOperationException("An admin endpoint ran without an authenticated user; every admin endpoint needs the fallback policy.");
}

/// <summary>What a login attempt is checked against: the users, the failure budget, the bound on password
/// checks running at once, and the runtime's audit log and failure metric.</summary>
public sealed record AdminLoginGuard(AdminUsers Users, LoginThrottle Throttle, SemaphoreSlim Checks, GatewayRuntime Runtime);

/// <summary>The HTTP Basic handler. A request without credentials is anonymous (no password was tried, so
/// it is neither delayed nor counted); wrong credentials are delayed, audited, counted and charged to the
/// source's and the user's failure budget; a locked-out source or user is refused with 429 and Retry-After
/// before any password is checked.</summary>
internal sealed class AdminBasicHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminLoginGuard guard)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string RefusalItem = "pz.admin.refusal";

    /// <summary>How long a password check may wait for a free slot before the request is refused.</summary>
    private static readonly TimeSpan CheckWait = TimeSpan.FromSeconds(5);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var source = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var claimed = AdminUsers.ClaimedUser(authorization);
        if (guard.Throttle.LockedFor(source, claimed) is { } locked)
        {
            Context.Items[RefusalItem] = new Refusal(429, locked,
                $"Too many failed admin logins from {source} or for this user; try again in {Seconds(locked)} s (Retry-After).");
            return AuthenticateResult.Fail("locked out");
        }

        if (!await guard.Checks.WaitAsync(CheckWait, Context.RequestAborted).ConfigureAwait(false))
        {
            Context.Items[RefusalItem] = new Refusal(503, TimeSpan.FromSeconds(1),
                "Too many admin logins are being checked at once; retry in a second (Retry-After).");
            return AuthenticateResult.Fail("busy");
        }

        string? user;
        try
        {
            user = guard.Users.Authenticate(authorization, out _);
        }
        finally
        {
            guard.Checks.Release();
        }

        if (user is not null)
        {
            guard.Throttle.Succeeded(source);
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], AdminAuthentication.Scheme);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AdminAuthentication.Scheme));
        }

        var wait = guard.Throttle.Failed(source, claimed);
        guard.Runtime.Metrics.AuthenticationFailed();
        guard.Runtime.Audit.Emit(new AuditEvent
        {
            Action = "admin.login",
            Outcome = "failure",
            User = claimed,
            ClientAddress = source,
            Detail = $"{Request.Method} {Request.Path}" + (wait is null ? "" : $"; locked out for {Seconds(wait.Value)} s"),
        });
        // The same fixed delay as a failed Kafka login: guessing costs time, timing tells nothing.
        await Task.Delay(guard.Runtime.Spec.Limits.FailedLoginDelayMs, Context.RequestAborted).ConfigureAwait(false);
        if (wait is { } lockout)
        {
            Context.Items[RefusalItem] = new Refusal(429, lockout,
                $"Too many failed admin logins from {source} or for this user; try again in {Seconds(lockout)} s (Retry-After).");
        }

        return AuthenticateResult.Fail("wrong credentials");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RefusalItem] is Refusal refusal)
        {
            Response.Headers.RetryAfter = Seconds(refusal.RetryAfter).ToString(CultureInfo.InvariantCulture);
            return AdminEndpoints.ErrorAsync(Context, refusal.Status, [refusal.Message]);
        }

        Response.Headers.WWWAuthenticate = "Basic realm=\"partner-zones-gateway\", charset=\"UTF-8\"";
        return AdminEndpoints.ErrorAsync(Context, 401,
            ["Authentication required: send HTTP Basic credentials of an admin user from spec.admin.users (curl --user NAME:PASSWORD)."]);
    }

    /// <summary>There is one kind of admin; an authenticated admin is never forbidden, but answer in JSON all the same.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AdminEndpoints.ErrorAsync(Context, 403, ["This admin user may not use this endpoint."]);

    private static long Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

    private sealed record Refusal(int Status, TimeSpan RetryAfter, string Message);
}
