using System.Globalization;
using System.Text;
using PartnerZones.Gateway.Routing;
using PartnerZones.Gateway.Routing.Zone;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// Renders docs/compatibility.md's version table from the code that decides it: one row per partner
/// handler (<see cref="ZoneHandlers.All"/>, which covers every codec API), the codecs' range, the offer the
/// gateway computes (<see cref="UpstreamApis.Offer"/>) in front of each upstream given, which offered
/// versions are translated and to what (<see cref="UpstreamApis.TranslationTarget"/>), and the handler's
/// own words for how it serves a partner and what it refuses. Nothing in the table is typed by hand, so
/// the doc cannot drift from the code without <see cref="CompatibilityDocTests"/> failing.
/// </summary>
internal static class CompatibilityVersionTable
{
    public static string Render(IReadOnlyList<(string Heading, UpstreamApis Apis)> upstreams)
    {
        var text = new StringBuilder();
        text.Append("| API (key) | Codecs |");
        foreach (var (heading, _) in upstreams)
        {
            text.Append(' ').Append(heading).Append(" |");
        }

        text.Append(" How a partner is served | What a partner gets when it may not |\n");
        text.Append("|---|---|").Append(string.Concat(Enumerable.Repeat("---|", upstreams.Count))).Append("---|---|\n");
        foreach (var handler in ZoneHandlers.All)
        {
            var api = ApiMessages.Find(handler.ApiKey)!;
            text.Append("| ").Append(api.Name).Append(" (").Append(Number(api.Key)).Append(") | ")
                .Append(Range(api.LowestVersion, api.HighestVersion)).Append(" |");
            foreach (var (_, apis) in upstreams)
            {
                text.Append(' ').Append(Offered(apis, api.Key)).Append(" |");
            }

            text.Append(' ').Append(Cell(handler.Served)).Append(" | ").Append(Cell(handler.Refusal)).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>The offered range, with the versions the gateway translates and the version they go upstream at.</summary>
    private static string Offered(UpstreamApis apis, short key)
    {
        if (apis.OfferFor(key) is not { } offer)
        {
            return apis.Upstream.ContainsKey(key) ? "not offered (no version in common)" : "not offered (not served upstream)";
        }

        // Consecutive versions that go upstream at the same other version, e.g. "v0–2 → v3".
        var translated = new List<string>();
        for (var version = offer.Min; version <= offer.Max; version++)
        {
            if (apis.TranslationTarget(key, version) is not { } target)
            {
                continue;
            }

            var last = version;
            while (last < offer.Max && apis.TranslationTarget(key, (short)(last + 1)) == target)
            {
                last++;
            }

            translated.Add($"{Range(version, last)} → v{Number(target)}");
            version = last;
        }

        return translated.Count == 0
            ? Range(offer.Min, offer.Max)
            : $"{Range(offer.Min, offer.Max)} ({string.Join(", ", translated)})";
    }

    private static string Range(short min, short max) => min == max ? $"v{Number(min)}" : $"v{Number(min)}–{Number(max)}";

    private static string Number(short value) => value.ToString(CultureInfo.InvariantCulture);

    // A pipe would end the cell early.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
