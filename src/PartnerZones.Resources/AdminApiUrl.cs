namespace PartnerZones.Resources;

/// <summary>
/// A KafkaCluster's <c>spec.adminApi.url</c> is a base URL and nothing more: http or https, a host, an
/// optional port and an optional path prefix. Anything else would let the URL steer the console's calls
/// (a <c>?x=</c> swallows the path the console appends, user-info carries a second set of credentials), so
/// the validator refuses it and the console's HTTP clients never call one. The same rules decide whether
/// two URLs are the same target, which is what the stored admin password is bound to.
/// </summary>
public static class AdminApiUrl
{
    /// <summary>Why <paramref name="url"/> is not a usable base URL (a phrase that follows the URL in a
    /// message), or null when it is one.</summary>
    public static string? Problem(string url)
    {
        if (url.Length != url.Trim().Length)
        {
            return "has spaces around it; remove them";
        }

        // Checked on the text, not only on the parsed URL: Uri drops an empty query ("?") or fragment ("#").
        if (url.Contains('?', StringComparison.Ordinal))
        {
            return "has a query ('?...'); the console appends its own paths, so give only scheme, host, port and path prefix";
        }

        if (url.Contains('#', StringComparison.Ordinal))
        {
            return "has a fragment ('#...'); give only scheme, host, port and path prefix";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "is not an http:// or https:// URL";
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return $"is not an http:// or https:// URL (its scheme is '{uri.Scheme}')";
        }

        if (uri.UserInfo.Length > 0 || url.Contains('@', StringComparison.Ordinal))
        {
            return "carries a user name or password before the host ('user:password@'); remove it and send them as spec.adminApi.username and spec.adminApi.password";
        }

        if (uri.Host.Length == 0)
        {
            return "has no host";
        }

        return null;
    }

    /// <summary>The base URL as a <see cref="Uri"/> whose path ends with '/', or null when
    /// <see cref="Problem"/> refuses it.</summary>
    public static Uri? Parse(string url)
    {
        if (Problem(url) is not null)
        {
            return null;
        }

        var uri = new Uri(url, UriKind.Absolute);
        return uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;
    }

    /// <summary>
    /// True when both URLs reach the same admin API: the same scheme, host, port (a default port written
    /// out or left out is the same) and path prefix (a trailing '/' aside). A URL that is not a base URL
    /// is the same only as exactly the same text.
    /// </summary>
    public static bool SameTarget(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        return Parse(a) is { } x && Parse(b) is { } y && Target(x) == Target(y);
    }

    /// <summary>The URL as written but without any user-info, query or fragment, and at most 100
    /// characters, for messages: what a user wrote there may be a secret pasted by mistake, so a refused
    /// URL is never repeated whole.</summary>
    public static string Describe(string url)
    {
        var cut = url.IndexOfAny(['?', '#']);
        var text = cut >= 0 ? url[..cut] : url;
        var at = text.LastIndexOf('@');
        if (at >= 0)
        {
            var scheme = text.IndexOf("://", StringComparison.Ordinal);
            text = scheme >= 0 && at > scheme ? text[..(scheme + 3)] + text[(at + 1)..] : text[(at + 1)..];
        }

        return text.Length <= 100 ? text : text[..100] + "...";
    }

    private static string Target(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}{uri.AbsolutePath.TrimEnd('/')}";
}
