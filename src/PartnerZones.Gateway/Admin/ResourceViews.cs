using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Gateway.State;

namespace PartnerZones.Gateway.Admin;

/// <summary>
/// What the admin API returns for a resource: the resource as JSON with the server's read-only metadata
/// (<c>resourceVersion</c>, <c>updatedAt</c>). Credentials are shown as metadata only; their hash and
/// SCRAM keys never leave the gateway.
/// </summary>
public static class ResourceViews
{
    public static JsonNode Resource<T>(StateEntry<T> entry)
        where T : notnull
    {
        var node = JsonSerializer.SerializeToNode(StateCodec.Normalize(entry.Resource), entry.Resource.GetType(), StateCodec.Json)!.AsObject();
        var metadata = node["metadata"]!.AsObject();
        if (entry.Version >= 0)
        {
            metadata["resourceVersion"] = entry.Version.ToString(CultureInfo.InvariantCulture);
        }

        if (entry.UpdatedAt is { } at)
        {
            metadata["updatedAt"] = at.ToString("O", CultureInfo.InvariantCulture);
        }

        return node;
    }

    /// <summary>A credential's metadata; with <paramref name="use"/>, also its use on this instance
    /// (<c>lastUsedAt</c>: last login since the instance started; <c>openSessions</c>: connections now).</summary>
    public static JsonObject Credential(StateEntry<Credential> entry, DateTimeOffset now, CredentialUse? use = null)
    {
        var spec = entry.Resource.Spec;
        var view = new JsonObject
        {
            ["id"] = entry.Resource.Metadata.Name,
            ["serviceAccount"] = spec.ServiceAccount,
            ["status"] = Status(spec, now),
            ["createdAt"] = spec.CreatedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["expiresAt"] = spec.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
            ["revokedAt"] = spec.RevokedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["description"] = spec.Description,
            ["mechanisms"] = new JsonArray([.. new[] { "PLAIN" }.Concat(spec.Scram?.Select(s => s.Mechanism) ?? []).Select(m => (JsonNode?)m)]),
            ["resourceVersion"] = entry.Version >= 0 ? entry.Version.ToString(CultureInfo.InvariantCulture) : null,
            ["lastUsedAt"] = use?.LastLogin(entry.Resource.Metadata.Name)?.ToString("O", CultureInfo.InvariantCulture),
            ["openSessions"] = use is null ? null : use.Open(entry.Resource.Metadata.Name),
        };
        foreach (var key in view.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            view.Remove(key);
        }

        return view;
    }

    /// <summary>ACTIVE, EXPIRED or REVOKED.</summary>
    public static string Status(CredentialSpec spec, DateTimeOffset now) =>
        spec.RevokedAt is not null ? "REVOKED" : spec.ExpiresAt is { } expiry && expiry <= now ? "EXPIRED" : "ACTIVE";
}
