using System.Globalization;
using System.Text;
using PartnerZones.Resources;

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
/// placeholders (by the resource model's parser, <see cref="HeaderTemplates"/>, so what validation
/// accepts is exactly what is filled here) so a request only concatenates. A value the parser refuses
/// (validation keeps such zones out; a state written by an older version could hold one) stays as
/// written: a gateway that drops text silently would be harder to debug.
/// </summary>
internal sealed class HeaderTemplate
{
    private readonly List<HeaderValuePart> _parts;

    private HeaderTemplate(List<HeaderValuePart> parts)
    {
        _parts = parts;
        Constant = parts.Any(p => p.IsTemplate) ? null : Encoding.UTF8.GetBytes(string.Concat(parts.Select(p => p.Text)));
    }

    /// <summary>The value's bytes when it has no template at all, so such rules cost no work per request.</summary>
    public byte[]? Constant { get; }

    public static HeaderTemplate Parse(string value) =>
        new(HeaderTemplates.TryParse(value, out var parts, out _) ? parts : [new HeaderValuePart(value, false)]);

    /// <summary>The value's UTF-8 bytes with every template filled; an absent value (no client id) fills as empty.</summary>
    public byte[] Fill(in TemplateValues values)
    {
        if (Constant is not null)
        {
            return Constant;
        }

        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part.IsTemplate ? Value(part.Text, values) : part.Text);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string? Value(string name, in TemplateValues values) => name switch
    {
        HeaderTemplates.ClientId => values.ClientId,
        HeaderTemplates.UserIp => values.UserIp,
        HeaderTemplates.ApiKey => values.ApiKey.ToString(CultureInfo.InvariantCulture),
        HeaderTemplates.ApiKeyVersion => values.ApiKeyVersion.ToString(CultureInfo.InvariantCulture),
        HeaderTemplates.User => values.User,
        HeaderTemplates.GatewayHost => values.GatewayHost,
        HeaderTemplates.TimestampMillis => values.TimestampMillis.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
