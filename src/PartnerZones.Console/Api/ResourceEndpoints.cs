using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Security;

namespace PartnerZones.ControlPlane.Api;

/// <summary>PUT (upsert), GET list, GET one and DELETE for one kind, under
/// <c>/api/public/console/v2/{kind}</c>, behind an API key.</summary>
internal static class ResourceEndpoints
{
    public static void Map<TResource>(IEndpointRouteBuilder app, KindRules rules)
        where TResource : notnull
    {
        var kind = rules.Kind.Name;
        var group = app.MapGroup(ApiRoutes.Resources(rules.Kind.PathSegment))
            .AddEndpointFilter<RejectionFilter>()
            .AddEndpointFilter<ApiKeyFilter>()
            .WithTags(kind)
            .ProducesProblemAsApiError();

        group.MapPut("", async (HttpRequest request, ResourceService service, bool? dryMode) =>
            {
                var body = await JsonBody.ReadAsync(request, kind).ConfigureAwait(false);
                var (result, resource) = await service.UpsertAsync(rules, body, dryMode ?? false, request.HttpContext.RequestAborted).ConfigureAwait(false);
                return Results.Json(new UpsertResponse<object>(result, resource), ApiJson.Options);
            })
            .AddEndpointFilter(DryModeCheck)
            .Accepts<TResource>("application/json")
            .Produces<UpsertResponse<TResource>>()
            .Produces<ApiError>(StatusCodes.Status415UnsupportedMediaType)
            .WithName($"upsert{kind}")
            .WithSummary($"Create or update a {kind} (CREATED, UPDATED or NOT_CHANGED); dryMode=true checks and reports without writing.");

        group.MapGet("", async (ResourceService service, CancellationToken cancellationToken) =>
                Results.Json(await service.ListAsync(rules, cancellationToken).ConfigureAwait(false), ApiJson.Options))
            .Produces<List<TResource>>()
            .WithName($"list{kind}")
            .WithSummary($"Every {kind}, by name, with status.");

        group.MapGet("/{name}", async (string name, ResourceService service, CancellationToken cancellationToken) =>
                Results.Json(await service.GetAsync(rules, name, cancellationToken).ConfigureAwait(false), ApiJson.Options))
            .Produces<TResource>()
            .WithName($"get{kind}")
            .WithSummary($"One {kind} with status.");

        group.MapDelete("/{name}", async (string name, ResourceService service, bool? force, CancellationToken cancellationToken) =>
            {
                // 202 while the gateway still serves it: the answer must not read as "gone" (DESIGN §12).
                return await service.DeleteAsync(rules, name, cancellationToken, force ?? false).ConfigureAwait(false) == DeleteOutcome.Pending
                    ? Results.Json(new DeleteResponse(kind, name, DeleteResponse.Deleting), ApiJson.Options, statusCode: StatusCodes.Status202Accepted)
                    : Results.Json(new DeleteResponse(kind, name), ApiJson.Options);
            })
            .AddEndpointFilter(ForceCheck)
            .Produces<DeleteResponse>()
            .Produces<DeleteResponse>(StatusCodes.Status202Accepted)
            .WithName($"delete{kind}")
            .WithSummary(kind == Resources.PartnerZone.KindName
                ? $"Delete a {kind}: 202 with result DELETING while its gateway still serves it (GET shows status DELETING and, when the gateway refuses or cannot be reached, the reason in failedReason; 404 once confirmed), or 200 DELETED when removed at once. force=true removes it from the console without waiting for its gateway (for a gateway gone for good; the gateway may still serve it)."
                : $"Delete a {kind}.");
    }

    /// <summary>
    /// Refuses a dryMode that is not true or false with a message naming it. Without this, binding the
    /// parameter fails before any handler runs and the answer is a bare 400 that does not say what was
    /// wrong. An endpoint filter, so it runs after the API key check: without a key the answer stays 401.
    /// </summary>
    private static async ValueTask<object?> DryModeCheck(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var values = context.HttpContext.Request.Query["dryMode"];
        if (values.Count > 1 || (values.Count == 1 && !string.IsNullOrEmpty(values[0]) && !bool.TryParse(values[0], out _)))
        {
            return ApiError.BadRequest("Invalid request",
                [$"dryMode is '{string.Join("&dryMode=", values.ToArray())}'; use dryMode=true to check and report without writing, or leave it out."]);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Refuses a force that is not true or false with a message naming it, as <see cref="DryModeCheck"/> does for dryMode.</summary>
    private static async ValueTask<object?> ForceCheck(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var values = context.HttpContext.Request.Query["force"];
        if (values.Count > 1 || (values.Count == 1 && !string.IsNullOrEmpty(values[0]) && !bool.TryParse(values[0], out _)))
        {
            return ApiError.BadRequest("Invalid request",
                [$"force is '{string.Join("&force=", values.ToArray())}'; use force=true to remove a zone without its gateway's confirmation, or leave it out to wait for it."]);
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Documents the error shape every endpoint may answer with.</summary>
    public static RouteGroupBuilder ProducesProblemAsApiError(this RouteGroupBuilder group) =>
        group.WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ApiError), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ApiError), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(ApiError), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status409Conflict, typeof(ApiError), ["application/json"]));
}
