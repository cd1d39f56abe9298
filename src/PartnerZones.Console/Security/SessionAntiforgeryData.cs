using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// Binds every antiforgery token to the web session it was issued in: the session id travels in the token
/// and must match the request's session. Without this ASP.NET binds tokens to the user name, so a token
/// from another (or an earlier, signed-out) session of the same admin would still be accepted. Tokens
/// issued before sign-in carry no session and are refused once signed in.
/// </summary>
public sealed class SessionAntiforgeryData : IAntiforgeryAdditionalDataProvider
{
    public string GetAdditionalData(HttpContext context) => WebSessions.IdOf(context.User) ?? "";

    public bool ValidateAdditionalData(HttpContext context, string additionalData) =>
        string.Equals(additionalData, WebSessions.IdOf(context.User) ?? "", StringComparison.Ordinal);
}
