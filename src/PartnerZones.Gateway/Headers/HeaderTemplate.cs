using System.Globalization;
using System.Text;

namespace PartnerZones.Gateway.Headers;

/// <summary>What the templates of a header value are filled with, for one request.</summary>
internal readonly record struct TemplateValues(
    string? ClientId,
    string? UserIp,
    short ApiKey,
    short ApiKeyVersion,
    string User,
    string GatewayHost,
    long TimestampMillis);

/// <summary>
/// A header value with <c>{{name}}</c> templates, split once per zone version into literal text and
/// placeholders so a request only concatenates. Kept in this one file so it can later defer to the
/// resource model's own template helper. A name that is not a known template stays as written:
/// validation refuses such zones, and a gateway that drops text silently would be harder to debug.
/// </summary>
internal sealed class HeaderTemplate
{
    private static readonly string[] Names = ["clientId", "userIp", "apiKey", "apiKeyVersion", "user", "gatewayHost", "timestampMillis"];

    // Literal text, or (when Name is set) a placeholder.
    private readonly (string? Literal, string? Name)[] _parts;

    private HeaderTemplate((string?, string?)[] parts, byte[]? constant)
    {
        _parts = parts;
        Constant = constant;
    }

    /// <summary>The value's bytes when it has no template at all, so such rules cost no work per request.</summary>
    public byte[]? Constant { get; }

    public static HeaderTemplate Parse(string value)
    {
        var parts = new List<(string?, string?)>();
        var text = new StringBuilder();
        var at = 0;
        while (at < value.Length)
        {
            var open = value.IndexOf("{{", at, StringComparison.Ordinal);
            var close = open < 0 ? -1 : value.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (open < 0 || close < 0)
            {
                text.Append(value, at, value.Length - at);
                break;
            }

            var name = value[(open + 2)..close].Trim();
            text.Append(value, at, open - at);
            if (Array.IndexOf(Names, name) < 0)
            {
                text.Append(value, open, close + 2 - open);
            }
            else
            {
                if (text.Length > 0)
                {
                    parts.Add((text.ToString(), null));
                    text.Clear();
                }

                parts.Add((null, name));
            }

            at = close + 2;
        }

        if (text.Length > 0)
        {
            parts.Add((text.ToString(), null));
        }

        var constant = parts.All(p => p.Item2 is null) ? Encoding.UTF8.GetBytes(string.Concat(parts.Select(p => p.Item1))) : null;
        return new HeaderTemplate([.. parts], constant);
    }

    /// <summary>The value's UTF-8 bytes with every template filled; an absent value (no client id) fills as empty.</summary>
    public byte[] Fill(in TemplateValues values)
    {
        if (Constant is not null)
        {
            return Constant;
        }

        var text = new StringBuilder();
        foreach (var (literal, name) in _parts)
        {
            text.Append(name is null ? literal : Value(name, values));
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string? Value(string name, in TemplateValues values) => name switch
    {
        "clientId" => values.ClientId,
        "userIp" => values.UserIp,
        "apiKey" => values.ApiKey.ToString(CultureInfo.InvariantCulture),
        "apiKeyVersion" => values.ApiKeyVersion.ToString(CultureInfo.InvariantCulture),
        "user" => values.User,
        "gatewayHost" => values.GatewayHost,
        "timestampMillis" => values.TimestampMillis.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
