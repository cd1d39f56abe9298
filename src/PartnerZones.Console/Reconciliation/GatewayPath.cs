namespace PartnerZones.ControlPlane.Reconciliation;

/// <summary>
/// A path of the gateway's admin API, kept as segments until it is put under a cluster's base URL: each
/// segment is escaped on its own (a zone name cannot add a '/', '?' or '#') and the whole is appended to
/// the base URL's path prefix with a URI builder, never by joining strings a stray character could bend.
/// </summary>
internal sealed class GatewayPath
{
    private readonly string[] _segments;
    private readonly (string Name, string Value)? _query;

    private GatewayPath(string[] segments, (string Name, string Value)? query)
    {
        _segments = segments;
        _query = query;
    }

    /// <summary>A path from its segments, e.g. <c>Of("gateway", "v2", "partner-zone")</c>.</summary>
    public static GatewayPath Of(params string[] segments) => new(segments, null);

    /// <summary>A fixed path written out, e.g. "/metrics"; split at '/', each part escaped.</summary>
    public static GatewayPath Parse(string path) => Of(path.Split('/', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>This path followed by <paramref name="more"/> segments.</summary>
    public GatewayPath Then(params string[] more) => new([.. _segments, .. more], _query);

    /// <summary>This path with one query parameter, escaped.</summary>
    public GatewayPath WithQuery(string name, string value) => new(_segments, (name, value));

    /// <summary>The absolute URL of this path under <paramref name="baseUrl"/> (whose path ends with '/').</summary>
    public Uri Under(Uri baseUrl) => new UriBuilder(baseUrl)
    {
        Path = baseUrl.AbsolutePath + Escaped(),
        Query = _query is { } q ? $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}" : "",
        Fragment = "",
    }.Uri;

    /// <summary>The path as a message shows it ("/gateway/v2/partner-zone/acme/status").</summary>
    public override string ToString() =>
        "/" + Escaped() + (_query is { } q ? $"?{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}" : "");

    private string Escaped() => string.Join("/", _segments.Select(Uri.EscapeDataString));
}
