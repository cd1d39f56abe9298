using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PartnerZones.ControlPlane.Web;

/// <summary>
/// The UI's one CSS and one JS file, embedded in the assembly (wwwroot/) and served from memory. URLs
/// carry a hash of the content, so browsers cache them for a year and a new console version is fetched
/// at once.
/// </summary>
public static class WebAssets
{
    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public static string Url(string file) => Assets.TryGetValue(file, out var asset)
        ? $"{UiRoutes.Internal}/assets/{file}?v={asset.Version}"
        : throw new ArgumentException($"no embedded asset '{file}'", nameof(file));

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(UiRoutes.Internal + "/assets/{file}", (string file, HttpContext http) =>
        {
            if (!Assets.TryGetValue(file, out var asset))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(asset.Content, asset.ContentType);
        }).ExcludeFromDescription();

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(WebAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var file = resource["wwwroot.".Length..];
            var type = Path.GetExtension(file) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[file] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, string Version);
}
