using PartnerZones.Resources;

namespace PartnerZones.Cli.Client;

/// <summary>Reads the YAML that <c>-f</c> names: files, directories (their .yaml and .yml files, sorted;
/// subdirectories too with <c>-r</c>) or <c>-</c> for standard input. Every file is read and parsed before
/// anything is sent, so a broken file stops the command before it changes anything.</summary>
internal static class ResourceFiles
{
    public static IReadOnlyList<ResourceDocument> Read(IReadOnlyList<string> paths, bool recursive)
    {
        if (paths.Count == 0)
        {
            throw new CliFailure("no -f given; name a YAML file, a directory or - for standard input.", ExitCodes.Usage);
        }

        var documents = new List<ResourceDocument>();
        foreach (var path in paths)
        {
            foreach (var (source, text) in Load(path, recursive))
            {
                try
                {
                    documents.AddRange(ResourceDocument.ReadAll(text, source));
                }
                catch (ResourceException e)
                {
                    throw new CliFailure(string.Join("; ", e.Errors));
                }
            }
        }

        return documents.Count > 0 ? documents : throw new CliFailure($"no resources in {string.Join(", ", paths)}.");
    }

    private static IEnumerable<(string Source, string Text)> Load(string path, bool recursive)
    {
        if (path == "-")
        {
            return [("standard input", System.Console.In.ReadToEnd())];
        }

        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            return files.Count > 0
                ? [.. files.Select(f => (f, ReadFile(f)))]
                : throw new CliFailure($"{path} has no .yaml or .yml files{(recursive ? "" : " (add -r to read its subdirectories)")}.");
        }

        return File.Exists(path)
            ? [(path, ReadFile(path))]
            : throw new CliFailure($"{path}: no such file or directory.");
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure($"{path}: cannot be read ({e.Message}).");
        }
    }
}
