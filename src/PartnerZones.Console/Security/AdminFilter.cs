using System.Text;
using Microsoft.AspNetCore.Http;
using PartnerZones.ControlPlane.Api;
using PartnerZones.ControlPlane.Configuration;

namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// Lets a request through only with HTTP Basic credentials of an admin from the console configuration.
/// Admins log in per request with their password (checked against its PBKDF2 hash); a failed login
/// costs a fixed delay, so guessing is slow and timing tells nothing about which part was wrong.
/// </summary>
public sealed class AdminFilter(ConsoleSettings settings) : IEndpointFilter
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

        var admin = settings.Config.Spec.Admins.FirstOrDefault(a => a.Name == user);
        // Hash even for an unknown user, so a response's timing does not reveal which names exist.
        var valid = PasswordHash.Verify(password, admin?.PasswordHash ?? settings.DecoyHash) && admin is not null;
        if (!valid)
        {
            await Task.Delay(settings.FailedLoginDelay, http.RequestAborted).ConfigureAwait(false);
            return Unauthorized(http, "admin login failed: wrong user name or password.");
        }

        http.Items[AdminItem] = user;
        return await next(context).ConfigureAwait(false);
    }

    private static IResult Unauthorized(HttpContext http, string msg)
    {
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"pz console\", charset=\"UTF-8\"";
        return ApiError.Respond(StatusCodes.Status401Unauthorized, "Unauthorized", msg);
    }
}
