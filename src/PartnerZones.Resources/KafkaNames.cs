using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PartnerZones.Resources;

/// <summary>Naming rules shared by every resource.</summary>
/// <remarks>The patterns are anchored with <c>\A</c> and <c>\z</c>, never <c>^</c> and <c>$</c>: in .NET
/// <c>$</c> also matches before a final newline, so "acme\n" would pass as a name and live beside "acme".</remarks>
public static partial class KafkaNames
{
    /// <summary>Why <paramref name="name"/> is not a legal Kafka topic name, or null when it is.</summary>
    public static string? TopicProblem(string name) =>
        name.Length == 0 ? "is empty"
        : name.Length > 249 ? $"is {name.Length} characters long (at most 249)"
        : name is "." or ".." ? "cannot be '.' or '..'"
        : !TopicPattern().IsMatch(name) ? $"{Quoted(name)} has characters Kafka does not allow (use letters, digits, '.', '_' and '-')"
        : null;

    /// <summary>Why <paramref name="name"/> is not a legal resource name, or null when it is.</summary>
    public static string? ResourceProblem(string name) =>
        name.Length == 0 ? "is empty"
        : name.Length > 63 ? $"is {name.Length} characters long (at most 63)"
        : !ResourcePattern().IsMatch(name) ? $"{Quoted(name)} must be lower-case letters, digits and '-', starting and ending with a letter or digit"
        : null;

    /// <summary>
    /// <paramref name="value"/> in single quotes for a message, with control characters written as escapes
    /// ('acme\n'), so a refused name shows what is wrong with it and an error stays on one line.
    /// </summary>
    public static string Quoted(string value) => $"'{Escaped(value)}'";

    /// <summary><paramref name="value"/> with control characters written as escapes (\n, \r, \t, \u0000).</summary>
    public static string Escaped(string value)
    {
        if (!value.Any(char.IsControl))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }

    [GeneratedRegex(@"\A[a-zA-Z0-9._-]+\z")]
    private static partial Regex TopicPattern();

    [GeneratedRegex(@"\A[a-z0-9]([a-z0-9-]*[a-z0-9])?\z")]
    private static partial Regex ResourcePattern();
}
