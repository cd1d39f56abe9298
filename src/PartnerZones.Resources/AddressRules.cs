using System.Net.Mail;

namespace PartnerZones.Resources;

/// <summary>
/// The web address and email address of a partner. Both are shown as links in the web UI and copied into
/// mails, so only what is plainly an address passes: an absolute http(s) URL without credentials in it,
/// and exactly one bare email address (no display name, no list, no line break that could add a header).
/// </summary>
public static class AddressRules
{
    public const int MaxUrlLength = 2048;

    /// <summary>The longest address SMTP can carry (RFC 5321 path limit less the angle brackets).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>Why <paramref name="url"/> is not an http(s) address, with the fix; null when it is.</summary>
    public static string? UrlProblem(string url)
    {
        if (FreeText.Problem(url, MaxUrlLength, multiLine: false) is { } textProblem)
        {
            return textProblem;
        }

        if (url.Any(char.IsWhiteSpace) || !Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https") || parsed.Host.Length == 0)
        {
            return $"{KafkaNames.Quoted(url)} is not an http:// or https:// address; set it to the partner's web page, like 'https://partner.example.com'";
        }

        return parsed.UserInfo.Length > 0
            ? $"{KafkaNames.Quoted(url)} has a user name or password in it; remove the part before '@'"
            : null;
    }

    /// <summary>Why <paramref name="email"/> is not one plain email address, with the fix; null when it is.</summary>
    public static string? EmailProblem(string email)
    {
        if (FreeText.Problem(email, MaxEmailLength, multiLine: false) is { } textProblem)
        {
            return textProblem;
        }

        // The round trip refuses what MailAddress accepts but is more than an address: a display name
        // ("Jane <jane@example.com>"), surrounding spaces, or a second address after a comma.
        return MailAddress.TryCreate(email, out var parsed) && parsed.DisplayName.Length == 0 && parsed.Address == email
            ? null
            : $"{KafkaNames.Quoted(email)} is not one email address; set it to a single address like 'jane@example.com' (no name, no list)";
    }
}
