using System.Text;

namespace PartnerZones.Resources;

/// <summary>One piece of a header value: literal text, or the name of a template to fill in.</summary>
public readonly record struct HeaderValuePart(string Text, bool IsTemplate);

/// <summary>
/// The templates a header value of <c>spec.headers.addOnProduce</c> may use (<c>{{clientId}}</c> and the
/// like) and the one parser of such values, shared by the validator and the gateway so that what is
/// accepted at apply time is exactly what the gateway fills in.
/// </summary>
public static class HeaderTemplates
{
    /// <summary>The Kafka client id of the produce request.</summary>
    public const string ClientId = "clientId";

    /// <summary>The IP address the partner connects from.</summary>
    public const string UserIp = "userIp";

    /// <summary>The API key of the request that carried the record (0, Produce).</summary>
    public const string ApiKey = "apiKey";

    /// <summary>The version of that request.</summary>
    public const string ApiKeyVersion = "apiKeyVersion";

    /// <summary>The partner's principal: the zone's service account.</summary>
    public const string User = "user";

    /// <summary>The host the gateway advertises to clients.</summary>
    public const string GatewayHost = "gatewayHost";

    /// <summary>The gateway's clock, in milliseconds since the Unix epoch, when the record passed.</summary>
    public const string TimestampMillis = "timestampMillis";

    /// <summary>Every template name, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [ClientId, UserIp, ApiKey, ApiKeyVersion, User, GatewayHost, TimestampMillis];

    /// <summary>"{{clientId}}, {{userIp}}, ..." for messages.</summary>
    public static string Listed => string.Join(", ", Names.Select(n => "{{" + n + "}}"));

    /// <summary>
    /// Splits <paramref name="value"/> into literal text and templates. A <c>{{</c> always opens a
    /// template; it must be closed by <c>}}</c> and name one of <see cref="Names"/> exactly. Returns
    /// false with the reason (without the fix) in <paramref name="problem"/> otherwise.
    /// </summary>
    public static bool TryParse(string value, out List<HeaderValuePart> parts, out string? problem)
    {
        parts = [];
        problem = null;
        var literal = new StringBuilder();
        var i = 0;
        while (i < value.Length)
        {
            var open = value.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                literal.Append(value, i, value.Length - i);
                break;
            }

            literal.Append(value, i, open - i);
            var close = value.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                problem = $"has '{{{{' at position {open + 1} that is never closed with '}}}}'";
                parts = [];
                return false;
            }

            var name = value[(open + 2)..close];
            if (!Names.Contains(name, StringComparer.Ordinal))
            {
                problem = $"uses the unknown template {KafkaNames.Quoted("{{" + name + "}}")}";
                parts = [];
                return false;
            }

            if (literal.Length > 0)
            {
                parts.Add(new HeaderValuePart(literal.ToString(), IsTemplate: false));
                literal.Clear();
            }

            parts.Add(new HeaderValuePart(name, IsTemplate: true));
            i = close + 2;
        }

        if (literal.Length > 0)
        {
            parts.Add(new HeaderValuePart(literal.ToString(), IsTemplate: false));
        }

        return true;
    }
}
