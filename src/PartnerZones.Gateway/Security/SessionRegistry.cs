using System.Collections.Concurrent;
using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Security;

/// <summary>
/// Every authenticated connection of this gateway instance. After each state change (and on a short
/// timer, for deadlines) the sweep closes the sessions the new state no longer allows: revoked or removed
/// credentials, deleted or changed zones, and sessions past their deadline that did not re-authenticate.
/// </summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<LiveSession, byte> _sessions = new();

    /// <summary>Each credential's last successful login (or re-authentication) on this instance, for the admin
    /// API's <c>lastUsedAt</c>. Kept in memory rather than in the state topic: a login must not cost a write to
    /// Kafka, and a restarted instance simply knows only the logins since it started.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastLogins = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public IEnumerable<LiveSession> Sessions => _sessions.Keys;

    public void Add(LiveSession session) => _sessions.TryAdd(session, 0);

    public void Remove(LiveSession session) => _sessions.TryRemove(session, out _);

    public void LoggedIn(string credentialId, DateTimeOffset at) =>
        _lastLogins.AddOrUpdate(credentialId, at, (_, before) => at > before ? at : before);

    /// <summary>How each credential is used on this instance now: one pass over the sessions, so listing many
    /// credentials does not scan them once per credential.</summary>
    public CredentialUse Use()
    {
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var session in _sessions.Keys.Where(s => !s.IsClosed))
        {
            open[session.CredentialId] = open.GetValueOrDefault(session.CredentialId) + 1;
        }

        return new CredentialUse(_lastLogins, open);
    }

    /// <summary>Closes what <paramref name="state"/> no longer allows; returns each closed session and why.</summary>
    public List<(LiveSession Session, string Reason)> Sweep(GatewayState state, DateTimeOffset now)
    {
        var closed = new List<(LiveSession, string)>();
        foreach (var session in _sessions.Keys)
        {
            var reason = state.SessionProblem(session.Principal, session.CredentialId)
                ?? (session.Deadline is { } deadline && deadline <= now ? "session lifetime ended without re-authentication" : null);
            if (reason is not null && session.Close(reason))
            {
                _sessions.TryRemove(session, out _);
                closed.Add((session, reason));
            }
        }

        return closed;
    }
}

/// <summary>Each credential's last login since this instance started, and its sessions open now.</summary>
public sealed record CredentialUse(IReadOnlyDictionary<string, DateTimeOffset> LastLogins, IReadOnlyDictionary<string, int> OpenSessions)
{
    public DateTimeOffset? LastLogin(string credentialId) => LastLogins.TryGetValue(credentialId, out var at) ? at : null;

    public int Open(string credentialId) => OpenSessions.GetValueOrDefault(credentialId);
}
