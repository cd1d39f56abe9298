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

    public int Count => _sessions.Count;

    public IEnumerable<LiveSession> Sessions => _sessions.Keys;

    public void Add(LiveSession session) => _sessions.TryAdd(session, 0);

    public void Remove(LiveSession session) => _sessions.TryRemove(session, out _);

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
