using System.Text;
using Microsoft.AspNetCore.Http;
using PartnerZones.ControlPlane.Api;

namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// Lets a request through only with HTTP Basic credentials of an admin from the console configuration.
/// Admins log in per request with their password (see <see cref="AdminLogin"/>): a failure costs a growing
/// delay, and an address or name that spent its failure budget gets 429 with Retry-After.
/// </summary>
public sealed class AdminFilter(AdminLogin login) : IEndpointFilter
{
    public const string AdminItem = "pz.admin";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized(http, "admin login required; send HTTP Basic credentials of an admin in the console configuration (pz token --user NAME, password from PZ_ADMIN_PASSWORD or standard input).");
        }

        string user, password;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            (user, password) = colon < 0 ? (decoded, "") : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return Unauthorized(http, "the Basic credentials are not base64 of 'user:password'.");
        }

        switch (await login.CheckAsync("admin API", user, password, http.Connection.RemoteIpAddress, http.RequestAborted).ConfigureAwait(false))
        {
            case LoginOutcome.Accepted:
                http.Items[AdminItem] = user;
                return await next(context).ConfigureAwait(false);
            case LoginOutcome.Limited limited:
                http.Response.Headers.RetryAfter = LoginOutcome.RetryAfterSeconds(limited.RetryAfter);
                return ApiError.Respond(StatusCodes.Status429TooManyRequests, "Too many failed logins",
                    $"too many wrong passwords from this address or for this user; no password is checked for {LoginOutcome.RetryAfterSeconds(limited.RetryAfter)} s (Retry-After), then try again with the right one.");
            case LoginOutcome.Busy busy:
                http.Response.Headers.RetryAfter = LoginOutcome.RetryAfterSeconds(busy.RetryAfter);
                return ApiError.Respond(StatusCodes.Status503ServiceUnavailable, "Busy", "the console is checking too many passwords at once; try again in a second (Retry-After).");
            default:
                return Unauthorized(http, "admin login failed: wrong user name or password.");
        }
    }

    private static IResult Unauthorized(HttpContext http, string msg)
    {
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"pz console\", charset=\"UTF-8\"";
        return ApiError.Respond(StatusCodes.Status401Unauthorized, "Unauthorized", msg);
    }
}
