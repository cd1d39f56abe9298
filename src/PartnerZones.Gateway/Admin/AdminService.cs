using System.Security.Cryptography;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Gateway.State;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Admin;

/// <summary>
/// The admin operations: each checks the request against the caught-up state (400 for what is wrong
/// with it, 404 for what is missing, 409 for a stale version or a resource still in use), then writes
/// the records to the state topic and returns once this instance has applied them. A refused request
/// writes nothing. Every change is audited.
/// </summary>
public sealed class AdminService(StateStore store, GatewaySpec spec, AuditLog audit)
{
    /// <summary>Longest credential lifetime accepted: ten years.</summary>
    public const long MaxLifetimeSeconds = 10L * 365 * 24 * 3600;

    public GatewayState State => store.State;

    public async Task<(UpsertResult Result, StateEntry<PartnerZone>? Entry)> UpsertZoneAsync(PartnerZone zone, long? expectedVersion, bool dryRun, string user, CancellationToken cancellationToken)
    {
        var result = await WriteAsync(state =>
        {
            var current = state.Zone(zone.Metadata.Name);
            CheckVersion(PartnerZone.KindName, zone.Metadata.Name, current?.Version, expectedVersion);
            var problems = GatewayState.ValidateBackingTopics([zone], spec.State).ToList();
            problems.AddRange(NewProblems(state, zones: Replace(state.Zones, zone, z => z.Metadata.Name)));
            if (problems.Count > 0)
            {
                throw AdminException.BadRequest(problems);
            }

            var outcome = current is null ? UpsertResult.CREATED : StateCodec.SameContent(current.Resource, zone) ? UpsertResult.NOT_CHANGED : UpsertResult.UPDATED;
            return (Records(dryRun || outcome == UpsertResult.NOT_CHANGED ? [] : [(StateCodec.Key(zone), zone)]), outcome);
        }, cancellationToken).ConfigureAwait(false);
        AuditChange(dryRun, "upsert", user, StateCodec.Key(zone), result);
        return (result, State.Zone(zone.Metadata.Name));
    }

    public async Task DeleteZoneAsync(string name, long? expectedVersion, string user, CancellationToken cancellationToken)
    {
        await WriteAsync(state =>
        {
            var current = state.Zone(name) ?? throw AdminException.NotFound($"PartnerZone '{name}' does not exist; GET /gateway/v2/partner-zone lists the zones.");
            CheckVersion(PartnerZone.KindName, name, current.Version, expectedVersion);
            return (Records([(StateCodec.Key(PartnerZone.KindName, name), null)]), 0);
        }, cancellationToken).ConfigureAwait(false);
        AuditChange(false, "delete", user, StateCodec.Key(PartnerZone.KindName, name), null);
    }

    public async Task<(UpsertResult Result, StateEntry<ServiceAccount>? Entry)> UpsertAccountAsync(ServiceAccount account, long? expectedVersion, bool dryRun, string user, CancellationToken cancellationToken)
    {
        var result = await WriteAsync(state =>
        {
            var current = state.Account(account.Metadata.Name);
            CheckVersion(ServiceAccount.KindName, account.Metadata.Name, current?.Version, expectedVersion);
            var problems = NewProblems(state, accounts: Replace(state.Accounts, account, a => a.Metadata.Name));
            if (problems.Count > 0)
            {
                throw AdminException.BadRequest(problems);
            }

            var outcome = current is null ? UpsertResult.CREATED : StateCodec.SameContent(current.Resource, account) ? UpsertResult.NOT_CHANGED : UpsertResult.UPDATED;
            return (Records(dryRun || outcome == UpsertResult.NOT_CHANGED ? [] : [(StateCodec.Key(account), account)]), outcome);
        }, cancellationToken).ConfigureAwait(false);
        AuditChange(dryRun, "upsert", user, StateCodec.Key(account), result);
        return (result, State.Account(account.Metadata.Name));
    }

    /// <summary>Deletes an account and its credentials; refused while a zone names it.</summary>
    public async Task DeleteAccountAsync(string name, long? expectedVersion, string user, CancellationToken cancellationToken)
    {
        await WriteAsync(state =>
        {
            var current = state.Account(name) ?? throw AdminException.NotFound($"ServiceAccount '{name}' does not exist; GET /gateway/v2/service-account lists the accounts.");
            CheckVersion(ServiceAccount.KindName, name, current.Version, expectedVersion);
            if (state.Zones.FirstOrDefault(z => z.Spec.EffectiveServiceAccount == name) is { } zone)
            {
                throw AdminException.Conflict($"ServiceAccount '{name}' serves PartnerZone '{zone.Metadata.Name}'; delete the zone or point its spec.serviceAccount at another account first.");
            }

            var records = state.CredentialsOf(name).Select(c => (StateCodec.Key(c), (object?)null)).ToList();
            records.Add((StateCodec.Key(ServiceAccount.KindName, name), null));
            return (records, 0);
        }, cancellationToken).ConfigureAwait(false);
        AuditChange(false, "delete", user, StateCodec.Key(ServiceAccount.KindName, name), null);
    }

    /// <summary>Issues a credential: a fresh 256-bit secret, returned once; the state keeps only its hash
    /// (and SCRAM keys for the account's SCRAM mechanisms).</summary>
    public async Task<(Credential Credential, string Secret)> IssueAsync(string accountName, long? lifetimeSeconds, string? description, string user, CancellationToken cancellationToken)
    {
        var lifetime = Lifetime(lifetimeSeconds);
        var issued = await WriteAsync(state =>
        {
            var account = state.Account(accountName)?.Resource
                ?? throw AdminException.NotFound($"ServiceAccount '{accountName}' does not exist; create it with PUT /gateway/v2/service-account first.");
            var (credential, secret) = NewCredential(state, account, lifetime, description);
            return (Records([(StateCodec.Key(credential), credential)]), (credential, secret));
        }, cancellationToken).ConfigureAwait(false);
        AuditCredential("credential.issue", user, issued.credential, $"expires at {issued.credential.Spec.ExpiresAt:O}");
        return issued;
    }

    /// <summary>Revokes a credential: new logins fail at once, live sessions that used it are closed.</summary>
    public async Task<StateEntry<Credential>> RevokeAsync(string id, string user, CancellationToken cancellationToken)
    {
        var revoked = await WriteAsync(state =>
        {
            var current = state.Credential(id)?.Resource ?? throw AdminException.NotFound($"Credential '{id}' does not exist; GET /gateway/v2/credential lists them.");
            if (current.Spec.RevokedAt is not null)
            {
                return (Records([]), false);
            }

            var next = current with { Spec = current.Spec with { RevokedAt = DateTimeOffset.UtcNow } };
            return (Records([(StateCodec.Key(next), next)]), true);
        }, cancellationToken).ConfigureAwait(false);
        var entry = State.Credential(id)!;
        AuditCredential("credential.revoke", user, entry.Resource, revoked ? "revoked" : "already revoked");
        return entry;
    }

    /// <summary>
    /// The token call: a credential for <paramref name="username"/> on a virtual cluster, whose secret is the
    /// SASL PLAIN password until it expires. On <c>passthrough</c> the user is an ADMIN account (created
    /// when missing); on a zone it is that zone's service account (created when the zone names it but it
    /// does not exist yet).
    /// </summary>
    public async Task<string> TokenAsync(string vcluster, string username, long? lifetimeSeconds, string user, CancellationToken cancellationToken)
    {
        if (KafkaNames.ResourceProblem(username) is { } nameProblem)
        {
            throw AdminException.BadRequest($"username {nameProblem}.");
        }

        var lifetime = Lifetime(lifetimeSeconds);
        var (credential, secret, created) = await WriteAsync(state =>
        {
            var type = "ADMIN";
            if (vcluster != "passthrough")
            {
                var zone = state.Zone(vcluster)?.Resource
                    ?? throw AdminException.NotFound($"There is no virtual cluster '{vcluster}'; use 'passthrough' or the name of a partner zone (GET /gateway/v2/partner-zone).");
                if (zone.Spec.EffectiveServiceAccount != username)
                {
                    throw AdminException.BadRequest($"Virtual cluster '{vcluster}' is served by service account '{zone.Spec.EffectiveServiceAccount}'; ask for /username/{zone.Spec.EffectiveServiceAccount}.");
                }

                type = "PARTNER";
            }

            var account = state.Account(username)?.Resource;
            if (account is not null && account.Spec.Type != type)
            {
                throw AdminException.BadRequest(type == "ADMIN"
                    ? $"ServiceAccount '{username}' is a PARTNER account; a passthrough token needs an ADMIN account. Ask on the partner's zone instead: /vcluster/ZONE/username/{username}."
                    : $"ServiceAccount '{username}' is an ADMIN account; it cannot serve zone '{vcluster}'.");
            }

            var records = new List<(string, object?)>();
            var isNew = account is null;
            if (account is null)
            {
                account = new ServiceAccount { Metadata = new ResourceMetadata { Name = username }, Spec = new ServiceAccountSpec { Type = type } };
                records.Add((StateCodec.Key(account), account));
            }

            var (issued, token) = NewCredential(state, account, lifetime, $"token for virtual cluster {vcluster}");
            records.Add((StateCodec.Key(issued), issued));
            return (records, (issued, token, isNew));
        }, cancellationToken).ConfigureAwait(false);
        if (created)
        {
            AuditChange(false, "upsert", user, StateCodec.Key(ServiceAccount.KindName, username), UpsertResult.CREATED);
        }

        AuditCredential("token", user, credential, $"virtual cluster {vcluster}, expires at {credential.Spec.ExpiresAt:O}");
        return secret;
    }

    private Task<T> WriteAsync<T>(Func<GatewayState, (IReadOnlyList<(string Key, object? Resource)> Records, T Result)> check, CancellationToken cancellationToken) =>
        store.WriteAsync(check, cancellationToken);

    private static IReadOnlyList<(string Key, object? Resource)> Records(IReadOnlyList<(string, object?)> records) => records;

    private static (Credential Credential, string Secret) NewCredential(GatewayState state, ServiceAccount account, TimeSpan lifetime, string? description)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = DateTimeOffset.UtcNow;
        var scram = new List<ScramSecret>();
        foreach (var mechanism in account.Spec.SaslMechanisms.Where(SaslMechanisms.IsScram))
        {
            // Credentials of one account share a salt, so a SCRAM exchange can check all of them at once.
            var salt = state.ScramFor(account.Metadata.Name, mechanism)?.Salt ?? RandomNumberGenerator.GetBytes(16);
            scram.Add(Scram.Derive(mechanism, secret, salt, Scram.Iterations));
        }

        var credential = new Credential
        {
            Metadata = new ResourceMetadata { Name = $"c-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}" },
            Spec = new CredentialSpec
            {
                ServiceAccount = account.Metadata.Name,
                SecretHash = SecretHash.Hash(secret),
                CreatedAt = now,
                ExpiresAt = now + lifetime,
                Description = description,
                Scram = scram.Count > 0 ? scram : null,
            },
        };
        return (credential, secret);
    }

    private static TimeSpan Lifetime(long? seconds) =>
        seconds is null ? throw AdminException.BadRequest("lifeTimeSeconds is missing; set it to how long the credential lives, in seconds (e.g. 7776000 for 90 days).")
        : seconds is < 1 or > MaxLifetimeSeconds ? throw AdminException.BadRequest($"lifeTimeSeconds is {seconds}; use a value from 1 to {MaxLifetimeSeconds} (ten years).")
        : TimeSpan.FromSeconds(seconds.Value);

    private static void CheckVersion(string kind, string name, long? current, long? expected)
    {
        if (expected is { } want && current != want)
        {
            throw AdminException.Conflict(current is null
                ? $"{kind} '{name}' was deleted since version {want}; leave metadata.resourceVersion out to create it again."
                : $"{kind} '{name}' changed since version {want} (it is now at version {current}); GET it again, reapply your change and retry.");
        }
    }

    /// <summary>Cross-resource problems the change would add (problems the state already had are not the caller's).</summary>
    private static List<string> NewProblems(GatewayState state, IReadOnlyList<PartnerZone>? zones = null, IReadOnlyList<ServiceAccount>? accounts = null)
    {
        var before = GatewayState.Validate(state.Zones, state.Accounts, state.Credentials).ToHashSet(StringComparer.Ordinal);
        return [.. GatewayState.Validate(zones ?? state.Zones, accounts ?? state.Accounts, state.Credentials).Where(e => !before.Contains(e))];
    }

    private static List<T> Replace<T>(IReadOnlyList<T> items, T item, Func<T, string> name) =>
        [.. items.Where(i => name(i) != name(item)), item];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private void AuditChange(bool dryRun, string action, string user, string resource, UpsertResult? result)
    {
        if (!dryRun && result != UpsertResult.NOT_CHANGED)
        {
            audit.Emit(new AuditEvent { Action = action, User = user, Resource = resource, Detail = result?.ToString() ?? "DELETED" });
        }
    }

    private void AuditCredential(string action, string user, Credential credential, string detail) =>
        audit.Emit(new AuditEvent
        {
            Action = action,
            User = user,
            Resource = StateCodec.Key(credential),
            CredentialId = credential.Metadata.Name,
            Detail = $"service account {credential.Spec.ServiceAccount}; {detail}",
        });
}
