namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>
/// The checked-in captures (TestData/Captures, copied beside the test assembly), loaded once. A
/// missing or empty folder is an error, never an empty test run.
/// </summary>
public static class GoldenCaptures
{
    public const string Kcat = "kcat";
    public const string Dotnet = "confluent-kafka-dotnet";

    private static readonly Lazy<IReadOnlyList<CaptureFile>> Loaded = new(LoadAll);

    public static IReadOnlyList<string> Clients { get; } = [Kcat, Dotnet];

    public static string Root => Path.Combine(AppContext.BaseDirectory, "TestData", "Captures");

    public static IReadOnlyList<CaptureFile> All => Loaded.Value;

    /// <summary>Every capture file, by path relative to the captures folder (one test case each).</summary>
    public static TheoryData<string> Files() => [.. All.Select(c => c.RelativePath)];

    /// <summary>The request files only: the frames real clients wrote.</summary>
    public static TheoryData<string> RequestFiles() => [.. All.Where(c => c.IsRequest).Select(c => c.RelativePath)];

    public static CaptureFile Get(string relativePath) => All.Single(c => c.RelativePath == relativePath);

    /// <summary>Captures of one client and API in one direction, in capture order.</summary>
    public static List<CaptureFile> Of(string client, short apiKey, bool request) =>
        [.. All.Where(c => c.Client == client && c.ApiKey == apiKey && c.IsRequest == request)];

    /// <summary>The response captured for <paramref name="request"/>.</summary>
    public static CaptureFile ResponseTo(CaptureFile request) =>
        All.Single(c => !c.IsRequest && c.ExchangeName == request.ExchangeName);

    private static List<CaptureFile> LoadAll()
    {
        if (!Directory.Exists(Root))
        {
            throw new DirectoryNotFoundException($"No captures at {Root}; they live in tests/PartnerZones.Protocol.Tests/TestData/Captures.");
        }

        var captures = Directory.EnumerateFiles(Root, "*" + CaptureFile.Extension, SearchOption.AllDirectories)
            .Select(path => CaptureFile.Parse(Path.GetRelativePath(Root, path).Replace('\\', '/'), File.ReadAllText(path)))
            .OrderBy(c => c.RelativePath, StringComparer.Ordinal)
            .ToList();
        if (captures.Count == 0)
        {
            throw new InvalidOperationException($"{Root} holds no {CaptureFile.Extension} files.");
        }

        return captures;
    }
}
