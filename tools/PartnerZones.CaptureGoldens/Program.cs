using System.Reflection;
using Confluent.Kafka;
using PartnerZones.EmbeddedKafka;
using static PartnerZones.CaptureGoldens.GoldenWorkload;

namespace PartnerZones.CaptureGoldens;

/// <summary>
/// Captures the frames kcat and Confluent.Kafka exchange with the embedded cluster and writes them
/// as golden test data for the protocol codecs. Exit code 0 only when every scenario succeeded and
/// every required API was captured; otherwise nothing is written.
/// </summary>
public static class Program
{
    private const string Command = "dotnet run --project tools/PartnerZones.CaptureGoldens";
    private const string DefaultOutput = "tests/PartnerZones.Protocol.Tests/TestData/Captures";

    public static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out var output, out var kcatPath))
        {
            Console.Error.WriteLine($"""
                Usage: {Command} [-- [--out <dir>] [--kcat <path>]]
                  --out   where to write the captures (default: {DefaultOutput} under the repository root)
                  --kcat  the kcat executable (default: kcat on PATH)
                """);
            return 2;
        }

        try
        {
            await CaptureAsync(output ?? Path.Combine(FindRepositoryRoot(), DefaultOutput), new KcatProcess(kcatPath ?? "kcat")).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or KafkaException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static async Task CaptureAsync(string output, KcatProcess kcat)
    {
        var clients = new List<(string, string)>
        {
            (KcatClient, await kcat.VersionAsync().ConfigureAwait(false)),
            (DotnetClient, $"Confluent.Kafka {ConfluentVersion()} with its bundled librdkafka {Library.VersionString}"),
        };

        var recorder = new FrameRecorder();
        var log = new ScenarioLog();
        await using (var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { FrameObserver = recorder.Observe }).ConfigureAwait(false))
        {
            Console.WriteLine($"embedded cluster at {cluster.BootstrapServers}");
            await CreateKcatTopicAsync(cluster.BootstrapServers).ConfigureAwait(false);
            await new KcatScenarios(kcat, cluster.BootstrapServers, recorder, log).RunAsync().ConfigureAwait(false);
            await new ConfluentScenarios(cluster.BootstrapServers, recorder, log).RunAsync().ConfigureAwait(false);
        }

        var selected = CaptureSelection.Select(recorder.Exchanges);
        var missing = CaptureSelection.Missing(selected, [KcatClient, DotnetClient]);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Not captured, so nothing was written:\n  {string.Join("\n  ", missing)}");
        }

        Directory.CreateDirectory(output);
        foreach (var client in new[] { KcatClient, DotnetClient })
        {
            var written = CaptureFileWriter.Write(output, client, [.. selected.Where(s => s.Exchange.Client == client)]);
            Console.WriteLine($"{client}: {written.Count} files in {Path.Combine(output, client)}");
        }

        ReadmeWriter.Write(output, Command, clients, log, selected);
        Console.WriteLine($"{recorder.Exchanges.Count} exchanges seen, {selected.Count} kept.");
    }

    /// <summary>kcat cannot create topics; an admin client does it before recording starts.</summary>
    private static async Task CreateKcatTopicAsync(string bootstrap)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification { Name = KcatTopic, NumPartitions = 1, ReplicationFactor = 1 }])
            .WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    private static string ConfluentVersion() =>
        typeof(Library).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Library).Assembly.GetName().Version?.ToString()
        ?? "(unknown)";

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PartnerZones.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository (no PartnerZones.slnx above the current directory), or pass --out.");
    }

    private static bool TryParse(string[] args, out string? output, out string? kcat)
    {
        output = null;
        kcat = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--kcat" when i + 1 < args.Length:
                    kcat = args[++i];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
