using System.Text.RegularExpressions;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Headers;

/// <summary>One header added on produce: its key, its value's template and whether it replaces a
/// header of the same key the record already has.</summary>
internal sealed record HeaderAddition(string Key, HeaderTemplate Value, bool OverrideIfExists);

/// <summary>
/// A zone's header rules compiled once per zone version (templates split, regexes built), held by the
/// zone's policy snapshot. Null on a zone without rules, so its traffic never decodes a batch.
/// </summary>
public sealed class HeaderPolicy
{
    private readonly HeaderRules _source;

    private HeaderPolicy(HeaderRules source)
    {
        _source = source;
        Additions = [.. (source.AddOnProduce ?? []).Select(a => new HeaderAddition(a.Key, HeaderTemplate.Parse(a.Value), a.OverrideIfExists))];
        Removals = [.. (source.RemoveOnConsume ?? []).Select(r => Compile(r.KeyRegex))];
    }

    internal IReadOnlyList<HeaderAddition> Additions { get; }

    internal IReadOnlyList<Regex> Removals { get; }

    public bool AddsOnProduce => Additions.Count > 0;

    public bool RemovesOnConsume => Removals.Count > 0;

    /// <summary>The compiled rules, or null when the zone has none (so the hot path checks one reference).</summary>
    public static HeaderPolicy? From(HeaderRules? rules) =>
        rules is null || ((rules.AddOnProduce?.Count ?? 0) == 0 && (rules.RemoveOnConsume?.Count ?? 0) == 0) ? null : new HeaderPolicy(rules);

    /// <summary>Whether <paramref name="policy"/> was compiled from rules equal to <paramref name="rules"/>, so a
    /// zone version that changed only elsewhere keeps its snapshot (and its sessions).</summary>
    public static bool Same(HeaderPolicy? policy, HeaderRules? rules)
    {
        var other = From(rules);
        if (policy is null || other is null)
        {
            return policy is null && other is null;
        }

        return (policy._source.AddOnProduce ?? []).SequenceEqual(rules!.AddOnProduce ?? [])
            && (policy._source.RemoveOnConsume ?? []).SequenceEqual(rules.RemoveOnConsume ?? []);
    }

    /// <summary>Whole-key match, compiled as validation compiles it; the non-backtracking engine keeps a
    /// partner-facing regex linear in the key's length.</summary>
    internal static Regex Compile(string regex) => HeaderKeyPattern.Compile(regex);

    internal bool Removes(string key)
    {
        foreach (var regex in Removals)
        {
            if (regex.IsMatch(key))
            {
                return true;
            }
        }

        return false;
    }
}
