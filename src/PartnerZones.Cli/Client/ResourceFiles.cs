using System.Text;
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
            return [("standard input", ReadStandardInput())];
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
            // Before reading: a file the console would refuse is not parsed at all.
            if (RequestSizes.FileTooLarge(path, new FileInfo(path).Length) is { } tooLarge)
            {
                throw new CliFailure(tooLarge);
            }

            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure($"{path}: cannot be read ({e.Message}).");
        }
    }

    /// <summary>Standard input up to just over the console's limit, so a huge stream is not read to its end.</summary>
    private static string ReadStandardInput()
    {
        var text = new StringBuilder();
        var buffer = new char[16 * 1024];
        int read;
        while ((read = System.Console.In.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > RequestSizes.Limit)
            {
                throw new CliFailure($"standard input is more than {RequestSizes.Megabytes(RequestSizes.Limit)} MB; {RequestSizes.Accepts}; split the resources over smaller files.");
            }
        }

        var all = text.ToString();
        return RequestSizes.FileTooLarge("standard input", Encoding.UTF8.GetByteCount(all)) is { } tooLarge ? throw new CliFailure(tooLarge) : all;
    }
}
