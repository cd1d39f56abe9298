using System.Text.RegularExpressions;
using PartnerZones.Gateway.Policy;

namespace PartnerZones.Gateway.Routing.Zone.ConsumerProtocol;

/// <summary>
/// What a consumer-protocol member of a partner's group subscribes to, in the partner's terms: a list of
/// names or a regular expression. Either is evaluated against the zone's aliases only, never against the
/// backing cluster's names, so no subscription can reach past the zone (a regex like <c>.*</c> matches
/// the zone's aliases and nothing else). Evaluated afresh at every heartbeat, so an alias added to or
/// removed from the zone joins or leaves a regex subscription (or an explicit one naming it) at once.
/// </summary>
internal sealed class AliasSubscription
{
    /// <summary>A regex that runs longer than this matching one alias is refused (a partner must not be
    /// able to stall the gateway); the non-backtracking engine keeps ordinary patterns far below it.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Regex? _regex;

    private AliasSubscription(IReadOnlyList<string>? names, string? pattern, Regex? regex)
    {
        Names = names;
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The names the member subscribes to, as it sent them (aliases, or anything else), or null for a regex.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>The member's regular expression, as it sent it, or null for a list of names.</summary>
    public string? Pattern { get; }

    public static AliasSubscription OfNames(IEnumerable<string> names) => new([.. names], null, null);

    /// <summary>A regex subscription, or null when <paramref name="pattern"/> is not a valid regular
    /// expression. Like Kafka's, the pattern must match a whole name.</summary>
    public static AliasSubscription? OfPattern(string pattern)
    {
        try
        {
            var regex = new Regex($"\\A(?:{pattern})\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
            return new AliasSubscription(null, pattern, regex);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // NotSupportedException: backreferences and lookarounds, which Kafka's regex engine lacks too.
            return null;
        }
    }

    /// <summary>The zone's aliases this subscription covers, in zone order. Names outside the zone cover
    /// nothing, as a topic that does not exist does in Kafka.</summary>
    public IReadOnlyList<ZoneTopic> Aliases(ZonePolicy zone)
    {
        if (Names is not null)
        {
            var wanted = Names.ToHashSet(StringComparer.Ordinal);
            return [.. zone.Topics.Where(t => wanted.Contains(t.Alias))];
        }

        return [.. zone.Topics.Where(t => Matches(t.Alias))];
    }

    /// <summary>The backing topics to subscribe upstream: one entry per backing topic, sorted so that
    /// the same subscription is always sent the same way (Kafka compares it with the last one).</summary>
    public static List<string> Backing(IEnumerable<ZoneTopic> aliases) =>
        [.. aliases.Select(a => a.Backing).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private bool Matches(string alias)
    {
        try
        {
            return _regex!.IsMatch(alias);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
