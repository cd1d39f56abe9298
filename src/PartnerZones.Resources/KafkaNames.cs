using System.Text.RegularExpressions;

namespace PartnerZones.Resources;

/// <summary>Naming rules shared by every resource.</summary>
public static partial class KafkaNames
{
    /// <summary>Why <paramref name="name"/> is not a legal Kafka topic name, or null when it is.</summary>
    public static string? TopicProblem(string name) =>
        name.Length == 0 ? "is empty"
        : name.Length > 249 ? $"is {name.Length} characters long (at most 249)"
        : name is "." or ".." ? "cannot be '.' or '..'"
        : !TopicPattern().IsMatch(name) ? $"'{name}' has characters Kafka does not allow (use letters, digits, '.', '_' and '-')"
        : null;

    /// <summary>Why <paramref name="name"/> is not a legal resource name, or null when it is.</summary>
    public static string? ResourceProblem(string name) =>
        name.Length == 0 ? "is empty"
        : name.Length > 63 ? $"is {name.Length} characters long (at most 63)"
        : !ResourcePattern().IsMatch(name) ? $"'{name}' must be lower-case letters, digits and '-', starting and ending with a letter or digit"
        : null;

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex TopicPattern();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex ResourcePattern();
}
