using System.Net;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// <see cref="IGatewayAdmin"/> over the gateway's HTTP admin API (docs/gateway-admin-api.md), at each
/// KafkaCluster's <c>spec.adminApi</c> as its admin user. One HttpClient for every gateway: connections
/// are pooled and renewed every few minutes (so a gateway that moved is found again), a connection attempt
/// gives up after 5 s and a whole call after <see cref="DefaultTimeout"/>. Every answer is read for the
/// shape this client needs (<see cref="GatewayAnswer"/>); anything else fails the call with a reason, never
/// with an exception that would escape to the reconciler or a page.
/// </summary>
public sealed class HttpGatewayAdmin : IGatewayAdmin, IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly GatewayPath Zones = GatewayPath.Of("gateway", "v2", "partner-zone");
    private static readonly GatewayPath Accounts = GatewayPath.Of("gateway", "v2", "service-account");
    private static readonly GatewayPath Credentials = GatewayPath.Of("gateway", "v2", "credential");

    private readonly HttpClient _http;
    private readonly GatewayAdminCall _call;

    public HttpGatewayAdmin(TimeSpan? timeout = null)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
        })
        {
            // Each call has its own deadline (GatewayAdminCall), so a timeout can be told from a cancellation.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _call = new GatewayAdminCall(_http, timeout ?? DefaultTimeout);
    }

    public async Task DeployZoneAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken)
    {
        var name = zone.Metadata.Name;
        await EnsureAccountAsync(cluster, Account(zone), cancellationToken).ConfigureAwait(false);
        var put = await _call.SendAsync(cluster, HttpMethod.Put, Zones, ManagedZones.ToGateway(zone), cancellationToken).ConfigureAwait(false);
        if (!put.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, $"PartnerZone '{name}'", put);
        }

        var status = await _call.SendAsync(cluster, HttpMethod.Get, Zones.Then(name, "status"), null, cancellationToken).ConfigureAwait(false);
        if (!status.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, $"the status of PartnerZone '{name}'", status);
        }

        // Required, not assumed empty when absent: a server that answers {} to everything must not pass
        // for a gateway that holds the zone with all its topics.
        var missing = status.Texts(status.Object(), "missingBackingTopics");
        if (missing.Count > 0)
        {
            var url = cluster.Spec.AdminApi.Url.TrimEnd('/');
            var shown = missing.Select(t => GatewayErrorText.Clean(t, 249)).ToList();
            var topics = shown.Count == 1 ? $"backing topic {shown[0]} does not exist" : $"backing topics {GatewayErrorText.Clean(string.Join(", ", shown), GatewayErrorText.MaxTotal)} do not exist";
            throw new GatewayAdminException(
                $"{topics} in the cluster behind gateway {url}; create {(missing.Count == 1 ? "it" : "them")} there or change spec.topics (the gateway has the zone; partners see the topic as unknown until then).",
                retriable: true, failure: GatewayAdminFailure.MissingBackingTopic);
        }
    }

    public async Task RemoveZoneAsync(KafkaCluster cluster, string zoneName, CancellationToken cancellationToken)
    {
        var path = Zones.Then(zoneName);
        var get = await _call.SendAsync(cluster, HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (get.Status == HttpStatusCode.NotFound)
        {
            return;
        }

        if (!get.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, $"reading PartnerZone '{zoneName}'", get);
        }

        // Credentials first: if this fails half way the zone is still there, so the next pass tries again.
        var zone = get.Document<PartnerZone>(get.Object(), "PartnerZone");
        if (zone.Spec.EffectiveServiceAccount is { } account)
        {
            foreach (var credential in await CredentialsAsync(cluster, account, cancellationToken).ConfigureAwait(false))
            {
                if (credential.Status != "REVOKED")
                {
                    await RevokeAsync(cluster, credential.Id, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var delete = await _call.SendAsync(cluster, HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
        if (!delete.Ok && delete.Status != HttpStatusCode.NotFound)
        {
            throw GatewayAdminCall.Refused(cluster, $"deleting PartnerZone '{zoneName}'", delete);
        }
    }

    public async Task<IReadOnlyList<PartnerZone>> ListZonesAsync(KafkaCluster cluster, CancellationToken cancellationToken)
    {
        var list = await _call.SendAsync(cluster, HttpMethod.Get, Zones, null, cancellationToken).ConfigureAwait(false);
        if (!list.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, "listing partner zones", list);
        }

        var zones = list.Objects().Select(z => list.Document<PartnerZone>(z, "PartnerZone")).ToList();
        if (zones.Any(z => string.IsNullOrEmpty(z.Metadata?.Name) || z.Spec is null))
        {
            throw list.Unexpected("a list of PartnerZone documents", "a zone without metadata.name or spec");
        }

        return zones;
    }

    public async Task<IssuedCredential> IssueCredentialAsync(KafkaCluster cluster, PartnerZone zone, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var account = Account(zone);
        await EnsureAccountAsync(cluster, account, cancellationToken).ConfigureAwait(false);
        var body = new { serviceAccount = account, lifeTimeSeconds = (long)Math.Ceiling(lifetime.TotalSeconds), description = $"issued by the console for PartnerZone {zone.Metadata.Name}" };
        var issued = await _call.SendAsync(cluster, HttpMethod.Post, Credentials, body, cancellationToken).ConfigureAwait(false);
        if (!issued.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, $"a credential for service account '{account}'", issued);
        }

        var json = issued.Object();
        return new IssuedCredential(issued.Text(json, "id"), account, issued.Text(json, "secret"), Time(GatewayAnswer.OptionalText(json, "expiresAt")));
    }

    public async Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(KafkaCluster cluster, PartnerZone zone, CancellationToken cancellationToken)
    {
        var account = Account(zone);
        return [.. (await CredentialsAsync(cluster, account, cancellationToken).ConfigureAwait(false))
            .Where(c => c.Status != "REVOKED")
            .Select(c => new CredentialInfo(c.Id, account, Time(c.CreatedAt), Time(c.ExpiresAt), c.Status ?? "ACTIVE", c.LastUsedAt is { } last ? Time(last) : null))];
    }

    public async Task RevokeCredentialAsync(KafkaCluster cluster, PartnerZone zone, string credentialId, CancellationToken cancellationToken)
    {
        var account = Account(zone);
        var notFound = new GatewayAdminException(
            $"gateway {cluster.Spec.AdminApi.Url.TrimEnd('/')}: no credential '{credentialId}' for zone '{zone.Metadata.Name}'; pz partner-zone credentials {zone.Metadata.Name} lists them.",
            retriable: false, failure: GatewayAdminFailure.NotFound);
        if (KafkaNames.ResourceProblem(credentialId) is not null)
        {
            throw notFound;
        }

        // Only a credential of this zone's account: a zone's API key must not revoke another zone's partner.
        var get = await _call.SendAsync(cluster, HttpMethod.Get, Credentials.Then(credentialId), null, cancellationToken).ConfigureAwait(false);
        if (get.Status == HttpStatusCode.NotFound || (get.Ok && GatewayAnswer.OptionalText(get.Object(), "serviceAccount") != account))
        {
            throw notFound;
        }

        if (!get.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, $"reading credential '{credentialId}'", get);
        }

        await RevokeAsync(cluster, credentialId, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private static string Account(PartnerZone zone) => zone.Spec.EffectiveServiceAccount
        ?? throw new GatewayAdminException($"PartnerZone '{zone.Metadata.Name}' names no service account; set spec.serviceAccount.", retriable: false);

    /// <summary>Creates the zone's account when the gateway does not have it. An existing one is left as it
    /// is: an operator may have given it SCRAM mechanisms, which a blind upsert would take away.</summary>
    private async Task EnsureAccountAsync(KafkaCluster cluster, string account, CancellationToken cancellationToken)
    {
        var get = await _call.SendAsync(cluster, HttpMethod.Get, Accounts.Then(account), null, cancellationToken).ConfigureAwait(false);
        if (get.Ok)
        {
            return;
        }

        if (get.Status != HttpStatusCode.NotFound)
        {
            throw GatewayAdminCall.Refused(cluster, $"reading service account '{account}'", get);
        }

        var body = new { apiVersion = "v2", kind = "ServiceAccount", metadata = new { name = account }, spec = new { type = "PARTNER" } };
        var put = await _call.SendAsync(cluster, HttpMethod.Put, Accounts, body, cancellationToken).ConfigureAwait(false);
        if (!put.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, $"service account '{account}'", put);
        }
    }

    private async Task<List<ListedCredential>> CredentialsAsync(KafkaCluster cluster, string account, CancellationToken cancellationToken)
    {
        var list = await _call.SendAsync(cluster, HttpMethod.Get, Credentials.WithQuery("serviceAccount", account), null, cancellationToken).ConfigureAwait(false);
        if (!list.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, $"listing credentials of '{account}'", list);
        }

        return [.. list.Objects().Select(c => new ListedCredential(
            list.Text(c, "id"),
            GatewayAnswer.OptionalText(c, "status"),
            GatewayAnswer.OptionalText(c, "createdAt"),
            GatewayAnswer.OptionalText(c, "expiresAt"),
            GatewayAnswer.OptionalText(c, "lastUsedAt")))];
    }

    private async Task RevokeAsync(KafkaCluster cluster, string id, CancellationToken cancellationToken)
    {
        var revoke = await _call.SendAsync(cluster, HttpMethod.Post, Credentials.Then(id, "revoke"), null, cancellationToken).ConfigureAwait(false);
        if (!revoke.Ok)
        {
            throw GatewayAdminCall.Refused(cluster, $"revoking credential '{id}'", revoke);
        }
    }

    private static DateTimeOffset Time(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var time)
            ? time
            : DateTimeOffset.MinValue;

    /// <summary>A credential as the gateway lists it, its fields checked for shape.</summary>
    private sealed record ListedCredential(string Id, string? Status, string? CreatedAt, string? ExpiresAt, string? LastUsedAt);
}
