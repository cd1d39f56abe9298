using PartnerZones.Gateway.Policy;
using PartnerZones.Gateway.Security;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Configuration;

/// <summary>
/// Zones, service accounts and credentials as one immutable value. Changes build a new state and swap
/// it in; connections read the current one without locks.
/// </summary>
public sealed class GatewayState
{
    private readonly Dictionary<string, ServiceAccount> _accounts;
    private readonly Dictionary<string, List<Credential>> _credentials;
    private readonly Dictionary<string, ZonePolicy> _zonesByAccount;

    public GatewayState(IReadOnlyList<PartnerZone> zones, IReadOnlyList<ServiceAccount> accounts, IReadOnlyList<Credential> credentials)
    {
        Zones = zones;
        Accounts = accounts;
        Credentials = credentials;
        _accounts = accounts.ToDictionary(a => a.Metadata.Name, StringComparer.Ordinal);
        _credentials = credentials.GroupBy(c => c.Spec.ServiceAccount, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _zonesByAccount = zones.ToDictionary(z => z.Spec.EffectiveServiceAccount!, z => new ZonePolicy(z), StringComparer.Ordinal);
    }

    public static GatewayState Empty { get; } = new([], [], []);

    public IReadOnlyList<PartnerZone> Zones { get; }

    public IReadOnlyList<ServiceAccount> Accounts { get; }

    public IReadOnlyList<Credential> Credentials { get; }

    public IEnumerable<ZonePolicy> ZonePolicies => _zonesByAccount.Values;

    /// <summary>The principal for a username and secret, or null. Expired credentials never match.</summary>
    public Principal? Authenticate(string username, string secret, DateTimeOffset now)
    {
        if (!_accounts.TryGetValue(username, out var account) || !_credentials.TryGetValue(username, out var credentials))
        {
            return null;
        }

        foreach (var credential in credentials)
        {
            if (credential.Spec.ExpiresAt is { } expiry && expiry <= now)
            {
                continue;
            }

            if (SecretHash.Verify(secret, credential.Spec.SecretHash))
            {
                var isAdmin = account.Spec.Type == "ADMIN";
                var zone = isAdmin ? null : _zonesByAccount.GetValueOrDefault(username);
                return isAdmin || zone is not null ? new Principal(username, credential.Metadata.Name, isAdmin, zone) : null;
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

            if (account.Spec.Type is not ("PARTNER" or "ADMIN"))
            {
                errors.Add($"ServiceAccount '{account.Metadata.Name}': spec.type is '{account.Spec.Type}'; use PARTNER or ADMIN.");
            }
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

        foreach (var credential in credentials)
        {
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
}
