using System.Text.RegularExpressions;
using PartnerZones.Gateway.Policy;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>Upstream text (error messages) put into the partner's terms.</summary>
internal static class ZoneText
{
    /// <summary>Upstream text about a backing topic, with the topic named by the partner's alias. Only whole
    /// names are replaced (a topic name's characters on neither side), so a short backing name does not
    /// garble the rest of the message.</summary>
    public static string? InZoneTerms(string? message, ZoneTopic topic) =>
        message is null || !message.Contains(topic.Backing, StringComparison.Ordinal)
            ? message
            : Regex.Replace(message, $"(?<![A-Za-z0-9._-]){Regex.Escape(topic.Backing)}(?![A-Za-z0-9._])", topic.Alias.Replace("$", "$$", StringComparison.Ordinal), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}
