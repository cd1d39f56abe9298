using System.Net;
using Microsoft.Extensions.Logging;
using PartnerZones.ControlPlane.Configuration;

namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// Checks an admin's name and password from the configuration, for HTTP Basic on the token endpoints and
/// for the web sign-in alike, so both spend the same budgets. An unknown name is hashed against a decoy, so
/// timing does not tell which names exist; a failure waits a delay that grows with the address's failures;
/// a spent budget is refused before any hashing.
/// </summary>
public sealed class AdminLogin(ConsoleSettings settings, LoginThrottle throttle, ILogger<AdminLogin> logger)
{
    public async Task<LoginOutcome> CheckAsync(string channel, string user, string password, IPAddress? address, CancellationToken cancellationToken)
    {
        var source = LoginThrottle.SourceOf(address);
        if (throttle.TryBegin(CredentialKind.Password, source, user) is { } wait)
        {
            SecurityLog.PasswordLimited(logger, channel, SecurityLog.Shown(user), source, LoginOutcome.RetryAfterSeconds(wait));
            return new LoginOutcome.Limited(wait);
        }

        var admin = settings.Config.Spec.Admins.FirstOrDefault(a => a.Name == user);
        bool? matches;
        try
        {
            matches = await throttle.CheckPasswordAsync(() => PasswordHash.Verify(password, admin?.PasswordHash ?? settings.DecoyHash), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            throttle.Release(CredentialKind.Password, source, user); // nothing was decided
            throw;
        }

        if (matches is null)
        {
            throttle.Release(CredentialKind.Password, source, user);
            SecurityLog.PasswordBusy(logger, channel, SecurityLog.Shown(user), source);
            return new LoginOutcome.Busy(TimeSpan.FromSeconds(1));
        }

        if (matches.Value && admin is not null)
        {
            throttle.Release(CredentialKind.Password, source, user);
            return new LoginOutcome.Accepted(admin);
        }

        var failures = throttle.Fail(CredentialKind.Password, source, user);
        SecurityLog.PasswordRefused(logger, channel, SecurityLog.Shown(user), source, failures);
        await Task.Delay(throttle.FailureDelay(settings.FailedLoginDelay, failures), cancellationToken).ConfigureAwait(false);
        return new LoginOutcome.Refused();
    }
}
