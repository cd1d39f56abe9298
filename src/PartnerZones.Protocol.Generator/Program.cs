using PartnerZones.Protocol.Generator;

// dotnet run --project src/PartnerZones.Protocol.Generator [-- --check]
// Without arguments: rewrites the generated codecs. With --check: exits 1 when they are stale.
var check = args.Contains("--check");
try
{
    var root = Generator.FindRoot(Directory.GetCurrentDirectory());
    var files = Generator.Generate(root);
    var stale = new List<string>();
    foreach (var (relative, content) in files)
    {
        var path = Path.Combine(root, relative);
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            continue;
        }

        stale.Add(relative);
        if (!check)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    foreach (var orphan in Generator.Orphans(root, files))
    {
        stale.Add(orphan);
        if (!check)
        {
            File.Delete(Path.Combine(root, orphan));
        }
    }

    Console.WriteLine(check
        ? stale.Count == 0 ? "Generated codecs are up to date." : $"Stale: {string.Join(", ", stale)}"
        : $"Wrote {stale.Count} file(s); {files.Count} generated in all.");
    return check && stale.Count > 0 ? 1 : 0;
}
catch (SchemaException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
