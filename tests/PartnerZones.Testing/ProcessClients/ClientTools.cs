using System.Collections.Concurrent;
using Xunit;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>Finds the client programs and scripts. A missing one fails the test (never skips) and says
/// how to install it.</summary>
public static class ClientTools
{
    public const string InstallHint =
        "Run scripts/install-test-tools.sh (as root) to install kcat, python3-confluent-kafka, python3-kafka and kafkajs.";

    /// <summary>Debian's interpreter: the Debian Python Kafka packages are visible to it and to no other build.</summary>
    public const string DebianPython = "/usr/bin/python3";

    private static readonly Lazy<string> SourceFolder = new(FindSourceFolder);
    private static readonly ConcurrentDictionary<string, Lazy<string?>> ImportChecks = new();

    /// <summary>This folder in the source tree: the scripts and the node project live here, and kafkajs
    /// is installed into its node/node_modules. Scripts run from the source tree, not from a build output.</summary>
    public static string Folder => SourceFolder.Value;

    public static string Kcat() => OnPath("kcat") ?? Missing("kcat was not found on PATH.");

    public static string Python(string module)
    {
        if (!File.Exists(DebianPython))
        {
            return Missing($"{DebianPython} does not exist.");
        }

        var error = ImportChecks.GetOrAdd(module, m => new Lazy<string?>(() => ImportError(m))).Value;
        return error is null ? DebianPython : Missing($"{DebianPython} cannot import {module}: {error}");
    }

    public static string PythonScript(string name) => Path.Combine(Folder, "python", name);

    public static string Node()
    {
        var node = OnPath("node") ?? Missing("node was not found on PATH.");
        if (!File.Exists(Path.Combine(Folder, "node", "node_modules", "kafkajs", "package.json")))
        {
            Missing($"kafkajs is not installed in {Path.Combine(Folder, "node", "node_modules")}.");
        }

        return node;
    }

    public static string NodeScript(string name) => Path.Combine(Folder, "node", name);

    private static string Missing(string what)
    {
        Assert.Fail($"{what} {InstallHint}");
        return "";
    }

    private static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static string? ImportError(string module)
    {
        var run = ClientProcess.RunAsync(DebianPython, ["-c", $"import {module}"], TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
        return run.Succeeded ? null : run.Describe();
    }

    private static string FindSourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "PartnerZones.Testing", "ProcessClients");
            if (File.Exists(Path.Combine(dir.FullName, "PartnerZones.slnx")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No PartnerZones.slnx with tests/PartnerZones.Testing/ProcessClients above {AppContext.BaseDirectory}.");
    }
}
