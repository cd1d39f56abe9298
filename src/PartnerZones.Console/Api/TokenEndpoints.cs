using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PartnerZones.ControlPlane.Desired;
using PartnerZones.ControlPlane.Security;
using PartnerZones.ControlPlane.Store;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Api;

/// <summary>API keys, managed by admins (HTTP Basic): create (the key is in that answer only), list, revoke.</summary>
internal static class TokenEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(ApiRoutes.Tokens)
            .AddEndpointFilter<RejectionFilter>()
            .AddEndpointFilter<AdminFilter>()
            .WithTags("Token")
            .ProducesProblemAsApiError();

        group.MapPost("", async (HttpRequest request, ConsoleStore store) =>
            {
                var body = await JsonBody.ReadAsync(request, "token request").ConfigureAwait(false);
                var errors = new List<string>();
                var create = ResourceJson.Read<CreateTokenRequest>(body, "request body", errors);
                if (create is not null && KafkaNames.ResourceProblem(create.Name) is { } problem)
                {
                    errors.Add($"name {problem}; name the key after who uses it, like 'ci-deploy'.");
                }

                if (create is null || errors.Count > 0)
                {
                    throw new RequestRejected(StatusCodes.Status400BadRequest, "Invalid token request", errors);
                }

                var key = ApiKeys.Generate();
                var stored = await store.CreateApiKeyAsync(create.Name, ApiKeys.HashOf(key), Admin(request), request.HttpContext.RequestAborted).ConfigureAwait(false);
                return Results.Json(new CreatedToken(stored.Id, stored.Name, key, stored.CreatedBy, stored.CreatedAt), ApiJson.Options, statusCode: StatusCodes.Status201Created);
            })
            .Accepts<CreateTokenRequest>("application/json")
            .Produces<CreatedToken>(StatusCodes.Status201Created)
            .WithName("createToken")
            .WithSummary("Create an API key; the key is in this answer only.");

        group.MapGet("", async (ConsoleStore store, CancellationToken cancellationToken) =>
                Results.Json((await store.ListApiKeysAsync(cancellationToken).ConfigureAwait(false)).Select(TokenInfo.From), ApiJson.Options))
            .Produces<List<TokenInfo>>()
            .WithName("listTokens")
            .WithSummary("Every API key (never the key itself), revoked ones included.");

        group.MapDelete("/{idOrName}", async (string idOrName, HttpRequest request, ConsoleStore store) =>
            {
                var revoked = await store.RevokeApiKeysAsync(idOrName, Admin(request), request.HttpContext.RequestAborted).ConfigureAwait(false);
                return revoked.Count == 0
                    ? throw new RequestRejected(StatusCodes.Status404NotFound, "Not found", [$"no active API key has the id or name '{idOrName}'."])
                    : Results.Json(revoked.Select(TokenInfo.From), ApiJson.Options);
            })
            .Produces<List<TokenInfo>>()
            .WithName("revokeToken")
            .WithSummary("Revoke the active API keys with this id or name; they stop working at once.");
    }

    private static string Admin(HttpRequest request) => (string)request.HttpContext.Items[AdminFilter.AdminItem]!;
}

public sealed record CreateTokenRequest
{
    /// <summary>Who or what uses the key (lower-case letters, digits and '-').</summary>
    public string Name { get; init; } = "";
}

public sealed record CreatedToken(Guid Id, string Name, string Token, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record TokenInfo(Guid Id, string Name, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static TokenInfo From(StoredApiKey key) => new(key.Id, key.Name, key.CreatedBy, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
}
