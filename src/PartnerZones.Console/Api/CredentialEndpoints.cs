using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Reconciliation;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Api;

/// <summary>
/// Partner credentials, issued and revoked by the zone's gateway through <see cref="IGatewayAdmin"/>:
/// <c>POST /public/partner-zone/v2/{name}/generate-credentials</c> (the path users already script against;
/// the same under <c>/api</c>) answers the new password once, with its id, expiry and the bootstrap address;
/// <c>GET .../{name}/credentials</c> lists them and <c>DELETE .../{name}/credentials/{id}</c> revokes one.
/// A credential the gateway does not have for the zone is 404; any other gateway failure is 502 with its reason.
/// </summary>
internal static class CredentialEndpoints
{
    public const string Legacy = "/public/partner-zone/v2";
    public const string Base = "/api/public/partner-zone/v2";

    /// <summary>A credential's life when the request does not say: 30 days.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(30);

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { Base, Legacy })
        {
            var group = app.MapGroup(prefix)
                .AddEndpointFilter<RejectionFilter>()
                .AddEndpointFilter<ApiKeyFilter>()
                .WithTags("Credentials")
                .ProducesProblemAsApiError();
            group.MapPost("/{name}/generate-credentials", GenerateAsync)
                .Accepts<GenerateCredentialsRequest>("application/json")
                .Produces<GeneratedCredentials>()
                .Produces<ApiError>(StatusCodes.Status502BadGateway)
                .WithName(prefix == Base ? "generateCredentials" : "generateCredentialsLegacy")
                .WithSummary("Issue a new password for the zone's service account; it is in this answer only. Optional body: {\"lifeTimeSeconds\": N}.");
            if (prefix == Legacy)
            {
                continue;
            }

            group.MapGet("/{name}/credentials", ListAsync)
                .Produces<List<CredentialInfo>>()
                .WithName("listCredentials")
                .WithSummary("The zone's credentials that are not revoked (ids, status and expiry, never secrets).");
            group.MapDelete("/{name}/credentials/{id}", RevokeAsync)
                .WithName("revokeCredential")
                .WithSummary("Revoke one credential: new logins fail at once and live sessions are closed.");
        }
    }

    private static async Task<IResult> GenerateAsync(string name, HttpRequest request, ConsoleStore store, IGatewayAdmin gateway)
    {
        var lifetime = DefaultLifetime;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var body = await JsonBody.ReadAsync(request, "credentials request").ConfigureAwait(false);
            var errors = new List<string>();
            var ask = ResourceJson.Read<GenerateCredentialsRequest>(body, "request body", errors);
            if (ask?.LifeTimeSeconds is { } seconds && (seconds <= 0 || seconds > MaxLifetime.TotalSeconds))
            {
                errors.Add($"lifeTimeSeconds is {seconds}; use 1 to {(long)MaxLifetime.TotalSeconds} (366 days).");
            }

            if (ask is null || errors.Count > 0)
            {
                throw new RequestRejected(StatusCodes.Status400BadRequest, "Invalid credentials request", errors);
            }

            lifetime = ask.LifeTimeSeconds is { } s ? TimeSpan.FromSeconds(s) : DefaultLifetime;
        }

        var (zone, cluster) = await LoadAsync(store, name, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var issued = await CallAsync(() => gateway.IssueCredentialAsync(cluster, zone, lifetime, request.HttpContext.RequestAborted)).ConfigureAwait(false);
        return Results.Json(new GeneratedCredentials(issued.Id, issued.Username, issued.Password, issued.ExpiresAt, cluster.Spec.BootstrapServers, "PLAIN"), ApiJson.Options);
    }

    private static async Task<IResult> ListAsync(string name, ConsoleStore store, IGatewayAdmin gateway, CancellationToken cancellationToken)
    {
        var (zone, cluster) = await LoadAsync(store, name, cancellationToken).ConfigureAwait(false);
        return Results.Json(await CallAsync(() => gateway.ListCredentialsAsync(cluster, zone, cancellationToken)).ConfigureAwait(false), ApiJson.Options);
    }

    private static async Task<IResult> RevokeAsync(string name, string id, ConsoleStore store, IGatewayAdmin gateway, CancellationToken cancellationToken)
    {
        var (zone, cluster) = await LoadAsync(store, name, cancellationToken).ConfigureAwait(false);
        await CallAsync(async () =>
        {
            await gateway.RevokeCredentialAsync(cluster, zone, id, cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        return Results.Json(new { id, result = "REVOKED" }, ApiJson.Options);
    }

    private static async Task<(PartnerZone Zone, KafkaCluster Cluster)> LoadAsync(ConsoleStore store, string name, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(PartnerZone.KindName, name, cancellationToken).ConfigureAwait(false)
            ?? throw RequestRejected.NotFound(PartnerZone.KindName, name);
        var zone = (PartnerZone)new PartnerZoneRules().Show(stored);
        var cluster = await store.GetAsync(KafkaCluster.KindName, zone.Spec.Cluster, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestRejected(StatusCodes.Status409Conflict, "Conflict", [$"PartnerZone '{name}' names KafkaCluster '{zone.Spec.Cluster}', which does not exist."]);
        return (zone, KafkaClusterRules.WithSecrets(cluster));
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (GatewayAdminException e) when (e.Failure == GatewayAdminFailure.NotFound)
        {
            throw new RequestRejected(StatusCodes.Status404NotFound, "Not found", [e.Reason]);
        }
        catch (GatewayAdminException e)
        {
            throw new RequestRejected(StatusCodes.Status502BadGateway, "Gateway error", [e.Reason]);
        }
    }
}

public sealed record GenerateCredentialsRequest
{
    /// <summary>How long the credential is valid; default 30 days, at most 366.</summary>
    public long? LifeTimeSeconds { get; init; }
}

/// <summary>A new credential and what a client needs to use it. The password is never shown again.</summary>
public sealed record GeneratedCredentials(string Id, string Username, string Password, DateTimeOffset ExpiresAt, string BootstrapServers, string SaslMechanism);
