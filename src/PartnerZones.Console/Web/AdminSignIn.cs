using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using PartnerZones.ControlPlane.Configuration;
using PartnerZones.ControlPlane.Security;

namespace PartnerZones.ControlPlane.Web;

/// <summary>Checks a console admin's name and password for the sign-in page, with the same rules as the
/// API's Basic login: PBKDF2 hashes, the decoy hash for unknown names (equal timing) and a fixed delay
/// after a failure.</summary>
public sealed class AdminSignIn(ConsoleSettings settings)
{
    public async Task<ClaimsPrincipal?> CheckAsync(string? user, string? password, CancellationToken cancellationToken)
    {
        user ??= "";
        var admin = settings.Config.Spec.Admins.FirstOrDefault(a => a.Name == user);
        // Hashing runs for about a tenth of a second; off the request thread's synchronous path.
        var valid = await Task.Run(() => PasswordHash.Verify(password ?? "", admin?.PasswordHash ?? settings.DecoyHash), cancellationToken).ConfigureAwait(false)
            && admin is not null;
        if (!valid)
        {
            await Task.Delay(settings.FailedLoginDelay, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, admin!.Name)], CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }
}
