using System.Net;
using System.Security.Claims;
using PartnerZones.ControlPlane.Security;

namespace PartnerZones.ControlPlane.Web;

/// <summary>The sign-in page's check: the same admin login as the API's HTTP Basic (<see cref="AdminLogin"/>,
/// with its budgets and delays), and on success a new server-side session for the cookie.</summary>
public sealed class AdminSignIn(AdminLogin login, WebSessions sessions)
{
    public async Task<(LoginOutcome Outcome, ClaimsPrincipal? Principal)> CheckAsync(string? user, string? password, IPAddress? address, CancellationToken cancellationToken)
    {
        var outcome = await login.CheckAsync("web sign-in", user ?? "", password ?? "", address, cancellationToken).ConfigureAwait(false);
        return (outcome, outcome is LoginOutcome.Accepted accepted ? sessions.Start(accepted.Admin) : null);
    }
}
