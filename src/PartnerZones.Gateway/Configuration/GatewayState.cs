using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Security;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Configuration;

/// <summary>A resource as the state holds it: its version is the state topic offset of the record that
/// last wrote it (-1 for a seed not yet written), the same on every gateway instance.</summary>
public sealed record StateEntry<T>(T Resource, long Version, DateTimeOffset? UpdatedAt);

/// <summary>
/// Zones, service accounts and credentials as one immutable value. Changes build a new state and swap
/// it in; connections read the current one without locks.
/// </summary>
public sealed class GatewayState
{
    private readonly Dictionary<string, StateEntry<PartnerZone>> _zones;
    private readonly Dictionary<string, StateEntry<ServiceAccount>> _accounts;
    private readonly Dictionary<string, StateEntry<Credential>> _credentials;
    private readonly Dictionary<string, List<Credential>> _credentialsByAccount;
    private readonly Dictionary<string, ZonePolicy> _zonesByAccount;

    public GatewayState(IReadOnlyList<PartnerZone> zones, IReadOnlyList<ServiceAccount> accounts, IReadOnlyList<Credential> credentials)
        : this(
            zones.Select(z => new StateEntry<PartnerZone>(z, -1, null)),
            accounts.Select(a => new StateEntry<ServiceAccount>(a, -1, null)),
            credentials.Select(c => new StateEntry<Credential>(c, -1, null)),
            null)
    {
    }

    /// <summary>Builds a state. A zone whose policy is unchanged since <paramref name="previous"/> keeps its
    /// <see cref="ZonePolicy"/> object, so live sessions can tell "same zone" by reference.</summary>
    public GatewayState(
        IEnumerable<StateEntry<PartnerZone>> zones, IEnumerable<StateEntry<ServiceAccount>> accounts,
        IEnumerable<StateEntry<Credential>> credentials, GatewayState? previous)
    {
        _zones = ByName(zones, z => z.Metadata.Name);
        _accounts = ByName(accounts, a => a.Metadata.Name);
        _credentials = ByName(credentials, c => c.Metadata.Name);
        Zones = [.. _zones.Values.Select(e => e.Resource).OrderBy(z => z.Metadata.Name, StringComparer.Ordinal)];
        Accounts = [.. _accounts.Values.Select(e => e.Resource).OrderBy(a => a.Metadata.Name, StringComparer.Ordinal)];
        Credentials = [.. _credentials.Values.Select(e => e.Resource).OrderBy(c => c.Metadata.Name, StringComparer.Ordinal)];
        _credentialsByAccount = Credentials.GroupBy(c => c.Spec.ServiceAccount, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Spec.CreatedAt ?? DateTimeOffset.MinValue).ToList(), StringComparer.Ordinal);
        _zonesByAccount = new Dictionary<string, ZonePolicy>(StringComparer.Ordinal);
        foreach (var zone in Zones)
        {
            if (zone.Spec.EffectiveServiceAccount is not { } account || _zonesByAccount.ContainsKey(account))
            {
                continue;
            }

            var kept = previous?._zonesByAccount.GetValueOrDefault(account);
            _zonesByAccount[account] = kept is not null && kept.Zone == zone.Metadata.Name && SamePolicy(kept, zone) ? kept : new ZonePolicy(zone);
        }
    }

    public static GatewayState Empty { get; } = new([], [], []);

    public IReadOnlyList<PartnerZone> Zones { get; }

    public IReadOnlyList<ServiceAccount> Accounts { get; }

    public IReadOnlyList<Credential> Credentials { get; }

    public IEnumerable<ZonePolicy> ZonePolicies => _zonesByAccount.Values;

    public IEnumerable<StateEntry<PartnerZone>> ZoneEntries => _zones.Values;

    public IEnumerable<StateEntry<ServiceAccount>> AccountEntries => _accounts.Values;

    public IEnumerable<StateEntry<Credential>> CredentialEntries => _credentials.Values;

    public StateEntry<PartnerZone>? Zone(string name) => _zones.GetValueOrDefault(name);

    public StateEntry<ServiceAccount>? Account(string name) => _accounts.GetValueOrDefault(name);

    public StateEntry<Credential>? Credential(string id) => _credentials.GetValueOrDefault(id);

    /// <summary>Credentials of an account, newest first.</summary>
    public IReadOnlyList<Credential> CredentialsOf(string account) =>
        _credentialsByAccount.TryGetValue(account, out var list) ? list : [];

    public ZonePolicy? ZoneOf(string account) => _zonesByAccount.GetValueOrDefault(account);

    /// <summary>The principal for a username and secret, or null. Expired and revoked credentials never match.</summary>
    public Principal? Authenticate(string username, string secret, DateTimeOffset now) => Login(username, secret, now).Principal;

    /// <summary>Checks a PLAIN login. Every live credential of the account is tried (several may be live
    /// during a rotation); a failure says why, for the audit trail only: clients get one generic error.</summary>
    public LoginResult Login(string username, string secret, DateTimeOffset now)
    {
        if (!_accounts.TryGetValue(username, out var account))
        {
            return LoginResult.Failed("unknown service account");
        }

        if (!account.Resource.Spec.SaslMechanisms.Contains(SaslMechanisms.Plain, StringComparer.Ordinal))
        {
            return LoginResult.Failed("PLAIN is not among the service account's saslMechanisms");
        }

        Credential? matched = null;
        foreach (var credential in CredentialsOf(username))
        {
            if (SecretHash.Verify(secret, credential.Spec.SecretHash))
            {
                matched = credential;
                break;
            }
        }

        return matched is null ? LoginResult.Failed("wrong secret") : Admit(account.Resource, matched, now);
    }

    /// <summary>What a SCRAM exchange needs for an account: one salt and iteration count (the newest
    /// credential's; credentials issued for one account share them, so several can be live at once) and
    /// the keys of every credential with that salt. Null when the account has none for the mechanism.</summary>
    public ScramCandidates? ScramFor(string username, string mechanism)
    {
        if (!_accounts.TryGetValue(username, out var account) || !account.Resource.Spec.SaslMechanisms.Contains(mechanism, StringComparer.Ordinal))
        {
            return null;
        }

        ScramSecret? first = null;
        var keys = new List<(Credential, ScramSecret)>();
        foreach (var credential in CredentialsOf(username))
        {
            if (credential.Spec.RevokedAt is not null || credential.Spec.Scram?.Find(s => s.Mechanism == mechanism) is not { } secret)
            {
                continue;
            }

            first ??= secret;
            if (secret.Salt == first.Salt && secret.Iterations == first.Iterations)
            {
                keys.Add((credential, secret));
            }
        }

        return first is null ? null : new ScramCandidates(Convert.FromBase64String(first.Salt), first.Iterations, keys);
    }

    /// <summary>Turns a credential that proved the secret into a login result: refused when it is revoked
    /// or expired, or when a partner account has no zone.</summary>
    public LoginResult Admit(ServiceAccount account, Credential credential, DateTimeOffset now)
    {
        if (credential.Spec.RevokedAt is not null)
        {
            return LoginResult.Failed($"credential {credential.Metadata.Name} is revoked", credential.Metadata.Name);
        }

        if (credential.Spec.ExpiresAt is { } expiry && expiry <= now)
        {
            return LoginResult.Failed($"credential {credential.Metadata.Name} expired at {expiry:O}", credential.Metadata.Name);
        }

        var isAdmin = account.Spec.Type == "ADMIN";
        var zone = isAdmin ? null : ZoneOf(account.Metadata.Name);
        return !isAdmin && zone is null
            ? LoginResult.Failed("no partner zone names this service account", credential.Metadata.Name)
            : new LoginResult(new Principal(account.Metadata.Name, credential.Metadata.Name, isAdmin, zone), null, credential.Metadata.Name, credential.Spec.ExpiresAt);
    }

    /// <summary>Why a live session authenticated with <paramref name="credentialId"/> must end under this
    /// state, or null when it may go on: its credential was revoked or removed, its account removed or
    /// changed, or its zone deleted or changed (a new policy object).</summary>
    public string? SessionProblem(Principal principal, string credentialId)
    {
        if (!_credentials.TryGetValue(credentialId, out var credential) || credential.Resource.Spec.ServiceAccount != principal.Name)
        {
            return "credential removed";
        }

        if (credential.Resource.Spec.RevokedAt is not null)
        {
            return "credential revoked";
        }

        if (!_accounts.TryGetValue(principal.Name, out var account) || (account.Resource.Spec.Type == "ADMIN") != principal.IsAdmin)
        {
            return "service account removed or changed";
        }

        if (!principal.IsAdmin)
        {
            var zone = ZoneOf(principal.Name);
            if (zone is null)
            {
                return "zone deleted";
            }

            if (!ReferenceEquals(zone, principal.Zone))
            {
                return "zone changed";
            }
        }

        return null;
    }

    /// <summary>Cross-resource checks: every zone's account exists and is a partner account, credentials name
    /// existing accounts, no account serves two zones.</summary>
    public static List<string> Validate(IReadOnlyList<PartnerZone> zones, IReadOnlyList<ServiceAccount> accounts, IReadOnlyList<Credential> credentials)
    {
        var errors = new List<string>();
        var byName = new Dictionary<string, ServiceAccount>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            if (!byName.TryAdd(account.Metadata.Name, account))
            {
                errors.Add($"ServiceAccount '{account.Metadata.Name}' is defined twice; keep one.");
            }

            errors.AddRange(ValidateAccount(account));
        }

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var zone in zones)
        {
            var account = zone.Spec.EffectiveServiceAccount ?? "";
            if (!byName.TryGetValue(account, out var found))
            {
                errors.Add($"PartnerZone '{zone.Metadata.Name}': service account '{account}' does not exist; add a ServiceAccount named '{account}'.");
            }
            else if (found.Spec.Type == "ADMIN")
            {
                errors.Add($"PartnerZone '{zone.Metadata.Name}': service account '{account}' is an ADMIN account; a zone needs a PARTNER account.");
            }

            if (!owners.TryAdd(account, zone.Metadata.Name))
            {
                errors.Add($"PartnerZone '{zone.Metadata.Name}': service account '{account}' already serves zone '{owners[account]}'; give each zone its own account.");
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var credential in credentials)
        {
            if (!ids.Add(credential.Metadata.Name))
            {
                errors.Add($"Credential '{credential.Metadata.Name}' is defined twice; keep one.");
            }

            if (!byName.ContainsKey(credential.Spec.ServiceAccount))
            {
                errors.Add($"Credential '{credential.Metadata.Name}': service account '{credential.Spec.ServiceAccount}' does not exist.");
            }

            if (SecretHash.Problem(credential.Spec.SecretHash) is { } problem)
            {
                errors.Add($"Credential '{credential.Metadata.Name}': spec.secretHash {problem}.");
            }
        }

        return errors;
    }

    /// <summary>A service account on its own: a legal name, a known type and known mechanisms.</summary>
    public static IEnumerable<string> ValidateAccount(ServiceAccount account)
    {
        var who = $"ServiceAccount {KafkaNames.Quoted(account.Metadata.Name)}";
        if (account.ApiVersion != "v2")
        {
            yield return $"{who}: apiVersion is '{account.ApiVersion}'; set it to 'v2'.";
        }

        if (account.Kind != ServiceAccount.KindName)
        {
            yield return $"{who}: kind is '{account.Kind}'; set it to '{ServiceAccount.KindName}'.";
        }

        if (KafkaNames.ResourceProblem(account.Metadata.Name) is { } nameProblem)
        {
            yield return $"{who}: metadata.name {nameProblem}; partners log in with this name.";
        }

        if (account.Spec.Type is not ("PARTNER" or "ADMIN"))
        {
            yield return $"{who}: spec.type is '{account.Spec.Type}'; use PARTNER or ADMIN.";
        }

        if (account.Spec.SaslMechanisms.Count == 0 || account.Spec.SaslMechanisms.Any(m => !SaslMechanisms.IsKnown(m)))
        {
            yield return $"{who}: spec.saslMechanisms [{string.Join(", ", account.Spec.SaslMechanisms)}] must list one or more of {string.Join(", ", SaslMechanisms.All)}.";
        }
    }

    /// <summary>No zone may share the gateway's own topics: the state topic holds every credential hash.</summary>
    public static IEnumerable<string> ValidateBackingTopics(IEnumerable<PartnerZone> zones, StateConfig state)
    {
        foreach (var zone in zones)
        {
            for (var i = 0; i < zone.Spec.Topics.Count; i++)
            {
                var backing = zone.Spec.Topics[i].BackingTopic;
                if (backing == state.Topic || backing == state.AuditTopic)
                {
                    yield return $"PartnerZone '{zone.Metadata.Name}': spec.topics[{i}].backingTopic '{backing}' is the gateway's own state or audit topic, which can never be shared; choose another topic.";
                }
            }
        }
    }

    private static bool SamePolicy(ZonePolicy policy, PartnerZone zone)
    {
        if (policy.Topics.Count != zone.Spec.Topics.Count)
        {
            return false;
        }

        for (var i = 0; i < policy.Topics.Count; i++)
        {
            var (have, want) = (policy.Topics[i], zone.Spec.Topics[i]);
            var permission = want.Permission == "WRITE" ? TopicPermission.Write : TopicPermission.Read;
            if (have.Alias != want.Name || have.Backing != want.BackingTopic || have.Permission != permission)
            {
                return false;
            }
        }

        return Headers.HeaderPolicy.Same(policy.Headers, zone.Spec.Headers);
    }

    private static Dictionary<string, StateEntry<T>> ByName<T>(IEnumerable<StateEntry<T>> entries, Func<T, string> name)
    {
        var map = new Dictionary<string, StateEntry<T>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            map[name(entry.Resource)] = entry;
        }

        return map;
    }
}

/// <summary>The outcome of checking a login: a principal, or why not (for the audit trail).</summary>
public sealed record LoginResult(Principal? Principal, string? Failure, string? CredentialId, DateTimeOffset? ExpiresAt)
{
    public static LoginResult Failed(string why, string? credentialId = null) => new(null, why, credentialId, null);
}

/// <summary>The salt and iterations a SCRAM exchange announces, and the credentials that may answer it.</summary>
public sealed record ScramCandidates(byte[] Salt, int Iterations, IReadOnlyList<(Credential Credential, ScramSecret Secret)> Keys);
