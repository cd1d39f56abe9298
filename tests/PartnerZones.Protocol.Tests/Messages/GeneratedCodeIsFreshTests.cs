using PartnerZones.Protocol.Generator;

namespace PartnerZones.Protocol.Tests.Messages;

/// <summary>The checked-in codecs must be exactly what the generator makes from the schemas today.</summary>
public sealed class GeneratedCodeIsFreshTests
{
    [Fact]
    public void Checked_in_generated_files_match_the_schemas()
    {
        var root = Generator.Generator.FindRoot(AppContext.BaseDirectory);
        var files = Generator.Generator.Generate(root);
        var stale = files
            .Where(f => !File.Exists(Path.Combine(root, f.Key)) || File.ReadAllText(Path.Combine(root, f.Key)) != f.Value)
            .Select(f => f.Key)
            .Concat(Generator.Generator.Orphans(root, files))
            .ToList();
        Assert.True(stale.Count == 0,
            $"Generated code is stale: {string.Join(", ", stale)}. Run: dotnet run --project src/PartnerZones.Protocol.Generator");
    }

    [Fact]
    public void Schema_errors_name_the_file_and_line()
    {
        const string text = "api Broken 99\nversions 0-1\nflexible none\nrequest\n  Field int33 0+\nresponse\n";
        var error = Assert.Throws<SchemaException>(() => SchemaParser.Parse("Broken.pzs", text));
        Assert.Contains("Broken.pzs:5", error.Message);
        Assert.Contains("int33", error.Message);
    }
}
