using System.Net;

namespace PartnerZones.ControlPlane.Security;

/// <summary>Which budget a failed credential spends from.</summary>
public enum CredentialKind
{
    /// <summary>An admin password: the web sign-in and HTTP Basic on the token endpoints.</summary>
    Password,

    /// <summary>A bearer API key on the resource endpoints.</summary>
    ApiKey,
}

/// <summary>
/// Failure budgets per client address and per user name (see <see cref="LoginLimits"/>), and the bound on
/// password hashes computed at once. An attempt first reserves a place in every budget it could spend
/// from, so parallel guesses cannot all slip in before the first failure is counted; once a budget is
/// spent, attempts are refused before any hashing until the window that started with its first failure
/// has passed. Kept in memory: a restart forgets the budgets.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly LoginLimits _limits;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Budget> _budgets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _checks;

    public LoginThrottle(LoginLimits limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
        _checks = new SemaphoreSlim(limits.ConcurrentPasswordChecks, limits.ConcurrentPasswordChecks);
    }

    public LoginLimits Limits => _limits;

    /// <summary>The address a budget is kept for: the client's, after trusted proxies were unwound, one spelling per IPv4 address.</summary>
    public static string SourceOf(IPAddress? address) =>
        address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>Reserves one attempt from <paramref name="source"/> (and for <paramref name="user"/>, for
    /// passwords). Null when admitted (settle it with <see cref="Fail"/> or <see cref="Release"/>), otherwise
    /// how long until the spent budget is full again.</summary>
    public TimeSpan? TryBegin(CredentialKind kind, string source, string? user)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            TimeSpan? wait = null;
            foreach (var (key, limit) in Keys(kind, source, user))
            {
                if (_budgets.TryGetValue(key, out var budget) && Refresh(budget, now) && budget.Failures + budget.InFlight >= limit)
                {
                    var left = budget.Failures >= limit ? budget.Start + _limits.Window - now : TimeSpan.FromSeconds(1);
                    wait = wait is { } w && w > left ? w : left;
                }
            }

            if (wait is not null)
            {
                return wait;
            }

            foreach (var (key, _) in Keys(kind, source, user))
            {
                if (Get(key, now) is { } budget)
                {
                    budget.InFlight++;
                }
            }

            return null;
        }
    }

    /// <summary>Settles an admitted attempt as failed; returns the failures counted for its address in the current window.</summary>
    public int Fail(CredentialKind kind, string source, string? user)
    {
        var now = _time.GetUtcNow();
        var sourceFailures = 0;
        lock (_gate)
        {
            foreach (var (key, _) in Keys(kind, source, user))
            {
                if (Get(key, now) is not { } budget)
                {
                    continue;
                }

                budget.InFlight = Math.Max(0, budget.InFlight - 1);
                if (budget.Failures == 0)
                {
                    budget.Start = now;
                }

                budget.Failures++;
                if (key[2] == 's')
                {
                    sourceFailures = budget.Failures;
                }
            }
        }

        return sourceFailures;
    }

    /// <summary>Settles an admitted attempt that did not fail (right credentials, or no answer). Failures already counted stay until their window ends:
    /// one right password must not buy more guesses at another.</summary>
    public void Release(CredentialKind kind, string source, string? user)
    {
        lock (_gate)
        {
            foreach (var (key, _) in Keys(kind, source, user))
            {
                if (_budgets.TryGetValue(key, out var budget))
                {
                    budget.InFlight = Math.Max(0, budget.InFlight - 1);
                    if (budget.InFlight == 0 && budget.Failures == 0)
                    {
                        _budgets.Remove(key);
                    }
                }
            }
        }
    }

    /// <summary>How long a failed password waits before answering: the base delay times the address's failures, capped.</summary>
    public TimeSpan FailureDelay(TimeSpan baseDelay, int sourceFailures) => baseDelay * Math.Clamp(sourceFailures, 1, _limits.MaxDelayFactor);

    /// <summary>Runs <paramref name="check"/> (a PBKDF2 hash) when one of the bounded slots is free; null when
    /// none freed up within the queue timeout, so parallel guesses queue briefly instead of taking every core.</summary>
    public async Task<bool?> CheckPasswordAsync(Func<bool> check, CancellationToken cancellationToken)
    {
        if (!await _checks.WaitAsync(_limits.PasswordCheckQueueTimeout, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            // Hashing runs for about a tenth of a second; off the request thread's synchronous path.
            return await Task.Run(check, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _checks.Release();
        }
    }

    public void Dispose() => _checks.Dispose();

    private IEnumerable<(string Key, int Limit)> Keys(CredentialKind kind, string source, string? user)
    {
        // The third character tells a source budget ('s') from a user budget ('u'); see Fail.
        if (kind == CredentialKind.ApiKey)
        {
            yield return ("k|s|" + source, _limits.ApiKeyFailuresPerSource);
            yield break;
        }

        yield return ("p|s|" + source, _limits.PasswordFailuresPerSource);
        if (!string.IsNullOrEmpty(user))
        {
            // Every name is tracked, known or not, so which names lock cannot tell which names exist; a
            // long one is cut so a table full of budgets stays small.
            yield return ("p|u|" + (user.Length > 200 ? user[..200] : user), _limits.PasswordFailuresPerUser);
        }
    }

    /// <summary>Forgets failures whose window has passed; false when nothing is left to count.</summary>
    private bool Refresh(Budget budget, DateTimeOffset now)
    {
        if (budget.Failures > 0 && now - budget.Start >= _limits.Window)
        {
            budget.Failures = 0;
        }

        return budget.Failures > 0 || budget.InFlight > 0;
    }

    /// <summary>The budget for <paramref name="key"/>, made when missing; null only when the table is full of live budgets.</summary>
    private Budget? Get(string key, DateTimeOffset now)
    {
        if (_budgets.TryGetValue(key, out var budget))
        {
            Refresh(budget, now);
            return budget;
        }

        if (_budgets.Count >= _limits.MaxTrackedBudgets)
        {
            foreach (var (staleKey, stale) in _budgets)
            {
                if (!Refresh(stale, now))
                {
                    _budgets.Remove(staleKey);
                }
            }

            if (_budgets.Count >= _limits.MaxTrackedBudgets)
            {
                return null;
            }
        }

        budget = new Budget();
        _budgets.Add(key, budget);
        return budget;
    }

    private sealed class Budget
    {
        public DateTimeOffset Start { get; set; }

        public int Failures { get; set; }

        public int InFlight { get; set; }
    }
}
