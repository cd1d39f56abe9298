using System.Text.RegularExpressions;

namespace PartnerZones.Resources;

/// <summary>
/// Kubernetes' label rules, which platform teams already know and tools already check: a key is an
/// optional DNS-subdomain prefix (at most 253 characters) and '/', then a name of at most 63 letters,
/// digits, '-', '_' and '.', starting and ending with a letter or digit; a value is empty or a name;
/// and a resource carries at most <see cref="MaxLabels"/> labels.
/// </summary>
public static partial class LabelRules
{
    public const int MaxLabels = 64;

    public const int MaxNameLength = 63;

    public const int MaxPrefixLength = 253;

    private const string NameWords = "letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

    /// <summary>Adds one message per problem of <paramref name="labels"/>; <paramref name="who"/> names the resource.</summary>
    public static void Check(Dictionary<string, string>? labels, string who, List<string> errors)
    {
        if (labels is null)
        {
            return;
        }

        if (labels.Count > MaxLabels)
        {
            errors.Add($"{who}: metadata.labels has {labels.Count} labels (at most {MaxLabels}); keep the ones you select or search by.");
        }

        foreach (var (key, value) in labels)
        {
            if (KeyProblem(key) is { } keyProblem)
            {
                errors.Add($"{who}: metadata.labels key {KafkaNames.Quoted(key)} {keyProblem}.");
                continue;
            }

            if (value is null)
            {
                errors.Add($"{who}: metadata.labels.{key} has no value; give it one, or \"\" for none.");
            }
            else if (NameProblem(value, "value") is { } valueProblem)
            {
                errors.Add($"{who}: metadata.labels.{key} value {KafkaNames.Quoted(value)} {valueProblem}, or leave it empty.");
            }
        }
    }

    /// <summary>Why <paramref name="key"/> is not a label key, with the fix; null when it is.</summary>
    public static string? KeyProblem(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return key.Length == 0 ? "is empty; name the label, like 'team'" : NameProblem(key, "name");
        }

        var prefix = key[..slash];
        var name = key[(slash + 1)..];
        if (prefix.Length == 0 || prefix.Length > MaxPrefixLength || !PrefixPattern().IsMatch(prefix))
        {
            return $"has the prefix {KafkaNames.Quoted(prefix)}, which is not a DNS subdomain; use lower-case letters, digits, '-' and '.' (at most {MaxPrefixLength} characters, like 'example.com/team') or no prefix";
        }

        return name.Length == 0 ? "has nothing after '/'; name the label, like 'example.com/team'" : NameProblem(name, "name");
    }

    private static string? NameProblem(string text, string what) =>
        text.Length == 0 && what == "value" ? null
        : text.Length > MaxNameLength ? $"is {text.Length} characters long; use a {what} of at most {MaxNameLength} {NameWords}"
        : !NamePattern().IsMatch(text) ? $"has characters a label {what} cannot have; use at most {MaxNameLength} {NameWords}"
        : null;

    [GeneratedRegex(@"\A[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\A[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\z")]
    private static partial Regex PrefixPattern();
}
