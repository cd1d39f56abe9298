using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PartnerZones.ControlPlane.Api;

namespace PartnerZones.ControlPlane.Web;

/// <summary><c>GET /ui/status</c> (optionally <c>?zone=NAME</c>): every zone's status as JSON, for the
/// badges the script refreshes every few seconds. Needs the session cookie; answers 401 without one.</summary>
internal static class StatusEndpoint
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(UiRoutes.Internal + "/status", async (string? zone, ZoneViews views, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            var statuses = zone is null
                ? [.. (await views.ListAsync(http.RequestAborted).ConfigureAwait(false)).Select(ZoneStatus.Of)]
                : await views.GetAsync(zone, http.RequestAborted).ConfigureAwait(false) is { } one ? [ZoneStatus.Of(one)] : new List<ZoneStatus>();
            return Results.Json(statuses, ApiJson.Options);
        }).RequireAuthorization().ExcludeFromDescription();
}
