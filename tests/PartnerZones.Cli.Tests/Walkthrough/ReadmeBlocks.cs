using System.Text.RegularExpressions;

namespace PartnerZones.Cli.Tests.Walkthrough;

/// <summary>One <c>sh</c> block of the README's walkthrough, as written.</summary>
public sealed record ReadmeBlock(int Number, string Text, bool Background, bool ExpectFailure, bool RestartBefore = false)
{
    public override string ToString() => $"block {Number}:\n{Text}";
}

/// <summary>
/// Extracts the commands of a README section. The convention (also stated in an HTML comment in the
/// section): every fenced <c>```sh</c> block runs, in order; a block preceded by
/// <c>&lt;!-- walkthrough: background --&gt;</c> is a server started in the background; a block preceded by
/// <c>&lt;!-- walkthrough: restart</c> runs after that server was stopped and started again; a block whose
/// first line is <c># expect: failure</c> must fail. Other fences (plain, <c>text</c>) are prose.
/// </summary>
public static partial class ReadmeBlocks
{
    public const string BackgroundMarker = "<!-- walkthrough: background -->";
    public const string ExpectFailure = "# expect: failure";
    public const string RestartMarker = "<!-- walkthrough: restart";

    public static IReadOnlyList<ReadmeBlock> Section(string readme, string heading)
    {
        var start = readme.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"README has no '## {heading}' section.");
        }

        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var blocks = new List<ReadmeBlock>();
        var previousEnd = 0;
        foreach (Match fence in Fence().Matches(section))
        {
            var before = section[previousEnd..fence.Index];
            previousEnd = fence.Index + fence.Length;
            if (fence.Groups[1].Value != "sh")
            {
                continue;
            }

            var text = fence.Groups[2].Value;
            blocks.Add(new ReadmeBlock(blocks.Count + 1, text, before.Contains(BackgroundMarker, StringComparison.Ordinal),
                text.StartsWith(ExpectFailure, StringComparison.Ordinal), before.Contains(RestartMarker, StringComparison.Ordinal)));
        }

        return blocks;
    }

    [GeneratedRegex(@"^```(\w*)\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
