using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using PartnerZones.ControlPlane.Configuration;

namespace PartnerZones.ControlPlane.Security;

/// <summary>
/// The server side of web UI sessions. The cookie carries a random session id; a cookie is only as good
/// as its entry here, so signing out (which removes the entry) ends the session even for a copy of the
/// cookie, and every session ends <see cref="Lifetime"/> after sign-in however active it was (the cookie's
/// own sliding expiry handles idleness). A session also ends when its admin's password hash in the
/// configuration is no longer the one it signed in with. Kept in memory: a console restart ends every
/// session, as does its in-memory data protection key.
/// </summary>
public sealed class WebSessions(ConsoleSettings settings, TimeProvider time)
{
    /// <summary>The claim that carries the session id. The principal deliberately has no sub, nameidentifier or
    /// upn claim; the antiforgery binding to the session is made explicit in <see cref="SessionAntiforgeryData"/>.</summary>
    public const string SessionClaim = "pz.session";

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => settings.SessionLifetime;

    /// <summary>Sessions not yet ended or found expired.</summary>
    public int Count => _sessions.Count;

    /// <summary>Starts a session for <paramref name="admin"/> and returns the principal to put in its cookie.</summary>
    public ClaimsPrincipal Start(AdminUser admin)
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (now - session.Started >= Lifetime)
            {
                _sessions.TryRemove(id, out _);
            }
        }

        var sessionId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _sessions[sessionId] = new Session(admin.Name, admin.PasswordHash, now);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, admin.Name), new Claim(SessionClaim, sessionId)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Whether the session <paramref name="principal"/> names is still on; an ended one is forgotten.</summary>
    public bool IsActive(ClaimsPrincipal? principal)
    {
        if (IdOf(principal) is not { } id || !_sessions.TryGetValue(id, out var session))
        {
            return false;
        }

        var admin = settings.Config.Spec.Admins.FirstOrDefault(a => a.Name == session.User);
        if (time.GetUtcNow() - session.Started >= Lifetime || admin is null || admin.PasswordHash != session.PasswordHash
            || principal!.Identity?.Name != session.User)
        {
            _sessions.TryRemove(id, out _);
            return false;
        }

        return true;
    }

    /// <summary>Ends the session <paramref name="principal"/> names (sign-out); its cookie is refused from now on.</summary>
    public void End(ClaimsPrincipal? principal)
    {
        if (IdOf(principal) is { } id)
        {
            _sessions.TryRemove(id, out _);
        }
    }

    /// <summary>The session id of a signed-in principal, or null.</summary>
    public static string? IdOf(ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true && principal.FindFirst(SessionClaim)?.Value is { Length: > 0 } id ? id : null;

    private sealed record Session(string User, string PasswordHash, DateTimeOffset Started);
}
