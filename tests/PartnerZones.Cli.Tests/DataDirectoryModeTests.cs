using System.Text;
using PartnerZones.Testing;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Cli.Tests;

/// <summary>
/// What `pz dev` and `pz kafka --data-dir` leave on disk is owner-only: every directory 0700 (a data
/// directory they create, its missing parents, and everything under it) and every file 0600 (env,
/// secrets.json, the console's database, WAL, shared memory and key file, the Kafka data). The console's
/// database does not hold the gateway admin password in clear. A data directory an older pz dev left
/// readable by others is tightened on the next start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryModeTests : IDisposable
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = OwnerFile | UnixFileMode.UserExecute;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-modes-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Pz_dev_keeps_its_data_directory_owner_only_and_no_password_in_clear()
    {
        var ports = LoopbackPorts.FreeRange(5);
        var parent = Path.Combine(_directory, "made-by-pz");
        var dataDir = Path.Combine(parent, ".pz-dev");
        string[] args = ["dev", "--data-dir", dataDir, "--kafka-port", $"{ports}", "--gateway-port", $"{ports + 1}",
            "--gateway-admin-port", $"{ports + 3}", "--console-port", $"{ports + 4}"];
        using (var first = PzProcess.Start(args))
        {
            await ReadUntilAsync(first, "pz dev: ready");
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        // As an older pz dev left it: everything readable by others. The next start tightens it all.
        foreach (var path in Directory.EnumerateFileSystemEntries(dataDir, "*", SearchOption.AllDirectories).Append(dataDir))
        {
            File.SetUnixFileMode(path, Directory.Exists(path)
                ? OwnerDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        using var dev = PzProcess.Start(args);
        var lines = await ReadUntilAsync(dev, "pz dev: ready");
        Assert.Contains(lines, l => l.Contains("(passwords and API key reused from secrets.json)", StringComparison.Ordinal));
        var gatewayPassword = Assert.Single(lines, l => l.StartsWith("gateway admin API", StringComparison.Ordinal)).Split("password ")[1];

        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(parent));
        var files = AssertOwnerOnly(dataDir);
        foreach (var name in new[] { "env", "secrets.json", "console.db", "console.db-wal", "console.db-shm", "console.db.key" })
        {
            Assert.Contains(Path.Combine(dataDir, name), files);
        }

        Assert.Contains(files, f => f.StartsWith(Path.Combine(dataDir, "kafka", "logs"), StringComparison.Ordinal));
        foreach (var store in files.Where(f => Path.GetFileName(f).StartsWith("console.db", StringComparison.Ordinal)))
        {
            Assert.True(ReadShared(store).AsSpan().IndexOf(Encoding.UTF8.GetBytes(gatewayPassword)) < 0, $"{store} holds the gateway admin password in clear");
        }

        dev.Terminate();
        Assert.Equal(0, await dev.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Pz_kafka_keeps_its_data_directory_owner_only()
    {
        var port = LoopbackPorts.FreeRange(1);
        var dataDir = Path.Combine(_directory, "new", "kafka-data");
        using var kafka = PzProcess.Start("kafka", "--listen", $"127.0.0.1:{port}", "--data-dir", dataDir, "--auto-create-topics");
        await ReadUntilAsync(kafka, "node 0 listening");
        using (var producer = new Confluent.Kafka.ProducerBuilder<string, string>(new Confluent.Kafka.ProducerConfig { BootstrapServers = $"127.0.0.1:{port}" }).Build())
        {
            await producer.ProduceAsync("modes", new Confluent.Kafka.Message<string, string> { Key = "k", Value = "v" }).WaitAsync(StartTimeout);
        }

        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(Path.GetDirectoryName(dataDir)!));
        var files = AssertOwnerOnly(dataDir);
        Assert.Contains(Path.Combine(dataDir, "topics.json"), files);
        Assert.Contains(files, f => f.EndsWith(".log", StringComparison.Ordinal) && f.Contains("logs", StringComparison.Ordinal));

        kafka.Terminate();
        Assert.Equal(0, await kafka.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>Asserts the tree's modes; returns its files.</summary>
    private static List<string> AssertOwnerOnly(string root)
    {
        Assert.Equal(OwnerDirectory, File.GetUnixFileMode(root));
        var files = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var isDirectory = Directory.Exists(path);
            if (!isDirectory)
            {
                files.Add(path);
            }

            Assert.True(File.GetUnixFileMode(path) == (isDirectory ? OwnerDirectory : OwnerFile), $"{path} is {File.GetUnixFileMode(path)}");
        }

        return files;
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static async Task<List<string>> ReadUntilAsync(PzBackground pz, string prefix)
    {
        var lines = new List<string>();
        while (await pz.ReadLineAsync(StartTimeout) is { } line)
        {
            lines.Add(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return lines;
            }
        }

        throw new Xunit.Sdk.XunitException($"pz exited before '{prefix}'; stdout: {string.Join("\n", lines)}; stderr: {pz.Error}");
    }
}
