using PartnerZones.Gateway.Configuration;

namespace PartnerZones.Gateway.Security;

/// <summary>
/// The failure budget of admin logins: each source address and each claimed user name may fail a number
/// of times within a window; past that it is locked out, and every further failure doubles the lockout up
/// to a ceiling. A locked-out key is refused before any password is checked, so guessing in parallel buys
/// nothing and costs the gateway nothing. A success clears its source's count (not the user's: a guesser
/// must not be able to reset a user's budget by logging in as someone else from the same address).
/// </summary>
public sealed class LoginThrottle(AdminLoginLimits limits, TimeProvider time)
{
    /// <summary>Keys kept at most; an attacker cycling user names must not grow memory without bound.</summary>
    private const int MaxKeys = 50_000;

    private readonly Dictionary<string, Budget> _budgets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How long the source or the user is still locked out, or null when both may try.</summary>
    public TimeSpan? LockedFor(string source, string? user)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var wait = Remaining(SourceKey(source), now);
            if (user is not null && Remaining(UserKey(user), now) is { } userWait && (wait is null || userWait > wait))
            {
                wait = userWait;
            }

            return wait;
        }
    }

    /// <summary>Counts a failure against the source and the user; returns how long the next try must wait.</summary>
    public TimeSpan? Failed(string source, string? user)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var wait = Count(SourceKey(source), limits.FailuresPerSource, now);
            if (user is not null && Count(UserKey(user), limits.FailuresPerUser, now) is { } userWait && (wait is null || userWait > wait))
            {
                wait = userWait;
            }

            return wait;
        }
    }

    public void Succeeded(string source)
    {
        lock (_lock)
        {
            _budgets.Remove(SourceKey(source));
        }
    }

    private static string SourceKey(string source) => "s:" + source;

    private static string UserKey(string user) => "u:" + user;

    private TimeSpan? Remaining(string key, DateTimeOffset now) =>
        _budgets.TryGetValue(key, out var budget) && budget.LockedUntil > now ? budget.LockedUntil - now : null;

    private TimeSpan? Count(string key, int allowed, DateTimeOffset now)
    {
        // The window slides: a budget is forgotten once a whole window passes with no failure and no lockout.
        if (!_budgets.TryGetValue(key, out var budget) || Expired(budget, now))
        {
            if (_budgets.Count >= MaxKeys)
            {
                Prune(now);
            }

            budget = new Budget();
            _budgets[key] = budget;
        }

        budget.LastFailure = now;
        budget.Failures++;
        var over = budget.Failures - allowed;
        if (over <= 0)
        {
            return null;
        }

        // 1st failure over the budget: firstLockoutMs; each further one doubles it (capped at maxLockoutMs).
        var lockoutMs = Math.Min(limits.MaxLockoutMs, limits.FirstLockoutMs * (1L << Math.Min(over - 1, 30)));
        budget.LockedUntil = now + TimeSpan.FromMilliseconds(lockoutMs);
        return budget.LockedUntil - now;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, budget) in _budgets.Where(e => Expired(e.Value, now)).ToList())
        {
            _budgets.Remove(key);
        }

        // Still full (a flood of distinct keys inside one window): drop the oldest half rather than grow.
        if (_budgets.Count >= MaxKeys)
        {
            foreach (var key in _budgets.OrderBy(e => e.Value.LastFailure).Take(_budgets.Count / 2).Select(e => e.Key).ToList())
            {
                _budgets.Remove(key);
            }
        }
    }

    private bool Expired(Budget budget, DateTimeOffset now) =>
        budget.LockedUntil <= now && now - budget.LastFailure > TimeSpan.FromMilliseconds(limits.WindowMs);

    private sealed class Budget
    {
        public DateTimeOffset LastFailure { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset LockedUntil { get; set; }
    }
}
