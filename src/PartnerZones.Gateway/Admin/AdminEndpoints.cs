using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.State;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Admin;

/// <summary>
/// The admin HTTP API (docs/gateway-admin-api.md): the token call users already script against, and the
/// /gateway/v2 resource endpoints the Console uses. Every endpoint needs HTTP Basic authentication as a
/// configured admin user (<see cref="AdminAuthentication"/>); errors are JSON with every problem listed.
/// </summary>
public static class AdminEndpoints
{
    public static void Map(WebApplication app, AdminService service, GatewayRuntime runtime)
    {
        var limit = runtime.Spec.Http.MaxBodyBytes;
        // Authentication is not decided here: the fallback policy (AdminAuthentication) covers every request
        // before it reaches this point. This only turns the service's exceptions into JSON errors.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (AdminException e)
            {
                await ErrorAsync(context, e.Status, e.Errors).ConfigureAwait(false);
            }
            catch (ResourceException e)
            {
                await ErrorAsync(context, 400, e.Errors).ConfigureAwait(false);
            }
            catch (StateStoreException e)
            {
                await ErrorAsync(context, 503, [e.Message]).ConfigureAwait(false);
            }
            catch (Confluent.Kafka.KafkaException e)
            {
                await ErrorAsync(context, 503, [$"The backing cluster did not answer ({e.Error.Reason}); nothing was changed. Retry when it is reachable."]).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e)
            {
                await ErrorAsync(context, e.StatusCode, [$"The request could not be read: {e.Message}"]).ConfigureAwait(false);
            }
        });

        app.MapPost("/admin/vclusters/v1/vcluster/{vcluster}/username/{username}", async context =>
        {
            var vcluster = Name(context, "vcluster");
            var username = Route(context, "username");
            var body = await JsonBody.ReadAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
            var request = JsonBody.Bind<TokenRequest>(body);
            var token = await service.TokenAsync(vcluster, username, request.LifeTimeSeconds, User(context), context.RequestAborted).ConfigureAwait(false);
            await JsonAsync(context, 200, new JsonObject { ["token"] = token }).ConfigureAwait(false);
        });

        const string zones = "/gateway/v2/partner-zone";
        app.MapGet(zones, context => JsonAsync(context, 200, new JsonArray([.. service.State.ZoneEntries.OrderBy(e => e.Resource.Metadata.Name, StringComparer.Ordinal).Select(ResourceViews.Resource)])));
        app.MapGet(zones + "/{name}", context =>
        {
            var name = Name(context, "name");
            var entry = service.State.Zone(name) ?? throw AdminException.NotFound($"PartnerZone '{name}' does not exist; GET {zones} lists the zones.");
            return JsonAsync(context, 200, ResourceViews.Resource(entry));
        });
        // Whether the gateway can serve the zone: its backing topics exist upstream (the Console's READY).
        var backingTopics = new BackingTopics(runtime.Spec.Upstream);
        app.Lifetime.ApplicationStopped.Register(backingTopics.Dispose);
        app.MapGet(zones + "/{name}/status", async context =>
        {
            var name = Name(context, "name");
            var zone = (service.State.Zone(name) ?? throw AdminException.NotFound($"PartnerZone '{name}' does not exist; GET {zones} lists the zones.")).Resource;
            var backing = zone.Spec.Topics.Select(t => t.BackingTopic).Distinct(StringComparer.Ordinal).ToList();
            var missing = await backingTopics.MissingAsync(backing, context.RequestAborted).ConfigureAwait(false);
            await JsonAsync(context, 200, new JsonObject
            {
                ["name"] = name,
                ["ready"] = missing.Count == 0,
                ["backingTopics"] = new JsonArray([.. backing.Select(t => (JsonNode?)t)]),
                ["missingBackingTopics"] = new JsonArray([.. missing.Select(t => (JsonNode?)t)]),
                // Whether trafficControlPolicies hold the zone's connections back on this instance now.
                ["throttled"] = runtime.Traffic.IsThrottled(name),
            }).ConfigureAwait(false);
        });
        app.MapPut(zones, async context =>
        {
            var body = await JsonBody.ReadAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
            var (zone, version) = JsonBody.Bind(body, PartnerZoneReader.Bind);
            var (result, entry) = await service.UpsertZoneAsync(zone, version ?? IfMatch(context), DryMode(context), User(context), context.RequestAborted).ConfigureAwait(false);
            await UpsertedAsync(context, result, entry is null || DryMode(context) ? Preview(zone) : ResourceViews.Resource(entry)).ConfigureAwait(false);
        });
        app.MapDelete(zones + "/{name}", async context =>
        {
            await service.DeleteZoneAsync(Name(context, "name"), IfMatch(context), User(context), context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = 204;
        });

        const string accounts = "/gateway/v2/service-account";
        app.MapGet(accounts, context => JsonAsync(context, 200, new JsonArray([.. service.State.AccountEntries.OrderBy(e => e.Resource.Metadata.Name, StringComparer.Ordinal).Select(ResourceViews.Resource)])));
        app.MapGet(accounts + "/{name}", context =>
        {
            var name = Name(context, "name");
            var entry = service.State.Account(name) ?? throw AdminException.NotFound($"ServiceAccount '{name}' does not exist; GET {accounts} lists the accounts.");
            return JsonAsync(context, 200, ResourceViews.Resource(entry));
        });
        app.MapPut(accounts, async context =>
        {
            var body = await JsonBody.ReadAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
            var (account, version) = JsonBody.Bind(body, (document, errors) =>
            {
                var bound = YamlBinder.Bind<ServiceAccount>(document, errors);
                errors.AddRange(GatewayState.ValidateAccount(bound));
                return bound;
            });
            var (result, entry) = await service.UpsertAccountAsync(account, version ?? IfMatch(context), DryMode(context), User(context), context.RequestAborted).ConfigureAwait(false);
            await UpsertedAsync(context, result, entry is null || DryMode(context) ? Preview(account) : ResourceViews.Resource(entry)).ConfigureAwait(false);
        });
        app.MapDelete(accounts + "/{name}", async context =>
        {
            await service.DeleteAccountAsync(Name(context, "name"), IfMatch(context), User(context), context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = 204;
        });

        const string credentials = "/gateway/v2/credential";
        app.MapGet(credentials, context =>
        {
            var account = context.Request.Query["serviceAccount"].ToString();
            var now = DateTimeOffset.UtcNow;
            var use = runtime.Sessions.Use();
            var list = service.State.CredentialEntries
                .Where(e => account.Length == 0 || e.Resource.Spec.ServiceAccount == account)
                .OrderBy(e => e.Resource.Spec.ServiceAccount, StringComparer.Ordinal).ThenBy(e => e.Resource.Spec.CreatedAt)
                .Select(e => (JsonNode)ResourceViews.Credential(e, now, use));
            return JsonAsync(context, 200, new JsonArray([.. list]));
        });
        app.MapGet(credentials + "/{id}", context =>
        {
            var id = Name(context, "id");
            var entry = service.State.Credential(id) ?? throw AdminException.NotFound($"Credential '{id}' does not exist; GET {credentials} lists them.");
            return JsonAsync(context, 200, ResourceViews.Credential(entry, DateTimeOffset.UtcNow, runtime.Sessions.Use()));
        });
        app.MapPost(credentials, async context =>
        {
            var body = await JsonBody.ReadAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false);
            var request = JsonBody.Bind<IssueCredentialRequest>(body);
            if (KafkaNames.ResourceProblem(request.ServiceAccount) is { } problem)
            {
                throw AdminException.BadRequest($"serviceAccount {problem}; name the account the credential is for.");
            }

            var (credential, secret) = await service.IssueAsync(request.ServiceAccount, request.LifeTimeSeconds, request.Description, User(context), context.RequestAborted).ConfigureAwait(false);
            var view = ResourceViews.Credential(service.State.Credential(credential.Metadata.Name)!, DateTimeOffset.UtcNow);
            view["secret"] = secret;
            await JsonAsync(context, 201, view).ConfigureAwait(false);
        });
        app.MapPost(credentials + "/{id}/revoke", async context =>
        {
            var entry = await service.RevokeAsync(Name(context, "id"), User(context), context.RequestAborted).ConfigureAwait(false);
            await JsonAsync(context, 200, ResourceViews.Credential(entry, DateTimeOffset.UtcNow)).ConfigureAwait(false);
        });

        app.MapFallback(context => ErrorAsync(context, 404, [$"No endpoint {context.Request.Method} {context.Request.Path}; docs/gateway-admin-api.md lists them."]));
    }

    private static Task UpsertedAsync(HttpContext context, UpsertResult result, JsonNode resource) =>
        JsonAsync(context, 200, new JsonObject { ["resource"] = resource, ["upsertResult"] = result.ToString() });

    private static JsonNode Preview(object resource) =>
        JsonSerializer.SerializeToNode(StateCodec.Normalize(resource), resource.GetType(), StateCodec.Json)!;

    private static string User(HttpContext context) => AdminAuthentication.User(context);

    private static string Route(HttpContext context, string key) => context.Request.RouteValues[key] as string ?? "";

    /// <summary>A resource name from the path; anything that is not a legal name (dots, slashes, escapes) is a 400.</summary>
    private static string Name(HttpContext context, string key)
    {
        var value = Route(context, key);
        return KafkaNames.ResourceProblem(value) is { } problem
            ? throw AdminException.BadRequest($"The {key} in the path {problem}.")
            : value;
    }

    private static bool DryMode(HttpContext context) =>
        context.Request.Query["dryMode"].ToString() switch
        {
            "" or "false" => false,
            "true" => true,
            var other => throw AdminException.BadRequest($"dryMode is '{other}'; use true or false."),
        };

    private static long? IfMatch(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString();
        if (header.Length == 0)
        {
            return null;
        }

        var text = header.Trim().Trim('"');
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw AdminException.BadRequest($"If-Match '{header}' is not a resource version; send the metadata.resourceVersion a GET returned.");
    }

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(StateCodec.Json), context.RequestAborted).ConfigureAwait(false);
    }

    internal static Task ErrorAsync(HttpContext context, int status, IReadOnlyList<string> errors)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var body = new JsonObject
        {
            ["status"] = status,
            ["title"] = ReasonPhrase(status),
            ["message"] = errors.Count > 0 ? errors[0] : ReasonPhrase(status),
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode?)e)]),
        };
        return JsonAsync(context, status, body);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
