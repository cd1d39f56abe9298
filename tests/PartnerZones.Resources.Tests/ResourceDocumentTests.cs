using PartnerZones.Resources;

namespace PartnerZones.Resources.Tests;

/// <summary>Reading YAML never recurses without bound: building the node tree recurses once per level, and a
/// stack overflow ends the process instead of giving an error.</summary>
public sealed class ResourceDocumentTests
{
    [Theory]
    [InlineData("[", 100_000)]
    [InlineData("{a: ", 100_000)]
    [InlineData("- ", 10_000)]
    public void Nesting_beyond_the_limit_is_one_error_naming_it(string opening, int levels)
    {
        var yaml = string.Concat(Enumerable.Repeat(opening, levels));
        var error = Assert.Throws<ResourceException>(() => ResourceDocument.ReadAll(yaml, "deep.yaml"));
        var message = Assert.Single(error.Errors);
        Assert.StartsWith($"deep.yaml: nesting deeper than {NestingGuard.MaxDepth} levels at line ", message);
        Assert.EndsWith("; a resource needs only a few levels of mappings and lists.", message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read_and_one_level_more_is_refused()
    {
        static string Nested(int depth) => "kind: PartnerZone\nspec: " + new string('[', depth) + new string(']', depth) + "\n";

        var depth = NestingGuard.MaxDepth - 1; // the document's own mapping is one level
        Assert.Equal("PartnerZone", Assert.Single(ResourceDocument.ReadAll(Nested(depth), "ok.yaml")).Kind);
        Assert.Contains("nesting deeper than", Assert.Throws<ResourceException>(() => ResourceDocument.ReadAll(Nested(depth + 1), "deep.yaml")).Message);
    }

    [Fact]
    public void A_name_with_a_line_break_is_described_on_one_line()
    {
        var document = Assert.Single(ResourceDocument.ReadAll("kind: PartnerZone\nmetadata:\n  name: \"x\\n\"\n", "zone.yaml"));
        Assert.Equal("x\n", document.Name);
        Assert.Equal(@"PartnerZone 'x\n'", document.Describe());
    }
}
