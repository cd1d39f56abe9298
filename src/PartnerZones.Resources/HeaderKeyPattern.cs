using System.Text.RegularExpressions;

namespace PartnerZones.Resources;

/// <summary>
/// The one construction of the regular expression of a <c>spec.headers.removeOnConsume[].keyRegex</c>,
/// shared by the validator and the gateway so that a pattern accepted at apply time always compiles there.
/// </summary>
public static class HeaderKeyPattern
{
    /// <summary>
    /// The pattern anchored to match a whole header key. NonBacktracking runs in time linear in the key
    /// whatever the pattern, so a partner-facing rule can never stall the gateway; it has no
    /// backreferences or lookarounds, which therefore are refused.
    /// </summary>
    /// <exception cref="ArgumentException">The pattern does not parse.</exception>
    /// <exception cref="NotSupportedException">The pattern uses a construct NonBacktracking lacks.</exception>
    public static Regex Compile(string keyRegex) =>
        new($"\\A(?:{keyRegex})\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>Why <paramref name="keyRegex"/> cannot be used, without the fix; null when it compiles.</summary>
    public static string? Problem(string keyRegex)
    {
        try
        {
            _ = Compile(keyRegex);
            return null;
        }
        catch (RegexParseException e)
        {
            return $"is not a valid regular expression ({Words(e.Error.ToString())})";
        }
        catch (ArgumentException e)
        {
            return $"is not a valid regular expression ({e.Message})";
        }
        catch (NotSupportedException)
        {
            return "uses a construct the gateway's linear-time matcher does not support (backreferences, lookahead, lookbehind, atomic groups or conditionals)";
        }
    }

    // "InsufficientClosingParentheses" -> "insufficient closing parentheses"; the offset the exception
    // carries counts the anchoring added by Compile, so it is left out rather than shown wrong.
    private static string Words(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? "" : " ") + char.ToLowerInvariant(c) : c.ToString()));
}
