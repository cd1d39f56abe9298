namespace PartnerZones.Protocol.Generator;

/// <summary>Reads every schema and returns the files to write, by path relative to the repository root.</summary>
public static class Generator
{
    public const string SchemaFolder = "src/PartnerZones.Protocol/Schema";
    public const string MessagesFolder = "src/PartnerZones.Protocol/Messages";
    public const string TestSupportFile = "tests/PartnerZones.Protocol.Tests/Generated/RandomMessages.g.cs";

    public static IReadOnlyList<ApiDef> LoadSchemas(string root)
    {
        var apis = new List<ApiDef>();
        foreach (var file in Directory.GetFiles(Path.Combine(root, SchemaFolder), "*.pzs").Order(StringComparer.Ordinal))
        {
            apis.Add(SchemaParser.Parse(file, File.ReadAllText(file)));
        }

        var duplicate = apis.GroupBy(a => a.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SchemaException($"API key {duplicate.Key} is defined by {string.Join(" and ", duplicate.Select(a => a.SourceFile))}");
        }

        return apis.OrderBy(a => a.Key).ToList();
    }

    public static SortedDictionary<string, string> Generate(string root)
    {
        var apis = LoadSchemas(root);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var api in apis)
        {
            files[$"{MessagesFolder}/{api.Name}.g.cs"] = new MessageEmitter(api).Emit();
        }

        files[$"{MessagesFolder}/ApiMessages.g.cs"] = RegistryEmitter.Emit(apis);
        files[TestSupportFile] = RandomFillerEmitter.Emit(apis);
        return files;
    }

    /// <summary>Generated files on disk that no schema produces any more (a schema was removed or renamed).</summary>
    public static IEnumerable<string> Orphans(string root, SortedDictionary<string, string> files) =>
        Directory.GetFiles(Path.Combine(root, MessagesFolder), "*.g.cs")
            .Select(p => $"{MessagesFolder}/{Path.GetFileName(p)}")
            .Where(p => !files.ContainsKey(p));

    public static string FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PartnerZones.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No PartnerZones.slnx above {start}; run from inside the repository.");
    }
}
