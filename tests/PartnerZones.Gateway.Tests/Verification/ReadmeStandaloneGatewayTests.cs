using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using PartnerZones.Gateway.Tests.Configuration;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// The README's "Run the gateway without the console" section, run as written: its code blocks are read
/// from README.md (not retyped) and each line goes to bash from the repository root, on the documented
/// ports. The two long-running commands (`pz kafka`, `pz gateway`) are started in the background; the
/// kcat lines must then do what their comments say.
/// </summary>
public sealed partial class ReadmeStandaloneGatewayTests
{
    private const string Section = "## Run the gateway without the console";

    /// <summary>`dotnet run` may build the CLI first (Debug) on a busy two-core machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_documented_commands_run_as_written_and_do_what_they_say()
    {
        var blocks = CodeBlocks(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot(), "README.md")));
        Assert.True(blocks.Count == 4, $"README's '{Section}' should have four code blocks (cluster, gateway, admin, partner); found {blocks.Count}.");
        var kafka = Assert.Single(blocks[0]);
        var gateway = Assert.Single(blocks[1]);
        var adminProduce = Assert.Single(blocks[2]);
        var partnerLines = blocks[3];
        Assert.Contains(" kafka ", kafka, StringComparison.Ordinal);
        Assert.Contains(" gateway --config examples/gateway.yaml", gateway, StringComparison.Ordinal);
        Assert.Equal(4, partnerLines.Count);

        // The documented ports, as the commands and examples/*.properties name them.
        foreach (var port in new[] { 19092, 9094, 9095, 8888 })
        {
            Assert.True(IsFree(port), $"Port {port}, used by the README's commands, is taken on 127.0.0.1: stop whatever holds it and run again.");
        }

        await using var cluster = Background.Start(kafka);
        await cluster.WaitForPortAsync(19092, StartTimeout);
        await using var gatewayProcess = Background.Start(gateway);
        await gatewayProcess.WaitForPortAsync(9094, StartTimeout);

        var produced = await RunAsync(adminProduce);
        Assert.True(produced.ExitCode == 0, produced.Describe());

        // `kcat ... -L   # lists topic-a and topic-b only`
        Assert.Contains("johndoe.properties -L", partnerLines[0], StringComparison.Ordinal);
        var partnerList = await RunAsync(partnerLines[0]);
        Assert.True(partnerList.ExitCode == 0, partnerList.Describe());
        Assert.Equal(
            new Dictionary<string, int> { ["topic-a"] = 3, ["topic-b"] = 3 },
            Topics(partnerList.Stdout));
        Assert.DoesNotContain("19092", partnerList.Stdout, StringComparison.Ordinal);

        // `echo hello | kcat ... -P -t topic-a`
        Assert.Contains("-P -t topic-a", partnerLines[1], StringComparison.Ordinal);
        var partnerProduce = await RunAsync(partnerLines[1]);
        Assert.True(partnerProduce.ExitCode == 0, partnerProduce.Describe());

        // `kcat ... -C -t topic-b -e   # reads it back through the READ alias`
        Assert.Contains("-C -t topic-b -e", partnerLines[2], StringComparison.Ordinal);
        var partnerConsume = await RunAsync(partnerLines[2]);
        Assert.True(partnerConsume.ExitCode == 0, partnerConsume.Describe());
        Assert.Equal(["first", "hello"], partnerConsume.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));

        // `kcat -F examples/admin.properties -L   # the admin sees the backing cluster`
        Assert.Contains("admin.properties -L", partnerLines[3], StringComparison.Ordinal);
        var adminList = await RunAsync(partnerLines[3]);
        Assert.True(adminList.ExitCode == 0, adminList.Describe());
        var adminTopics = Topics(adminList.Stdout);
        Assert.Equal(3, adminTopics.GetValueOrDefault("kafka-topic-a"));
        Assert.DoesNotContain("topic-a", adminTopics.Keys);
        Assert.DoesNotContain("19092", adminList.Stdout, StringComparison.Ordinal);

        Assert.False(cluster.HasExited, "pz kafka exited during the test:\n" + cluster.Output);
        Assert.False(gatewayProcess.HasExited, "pz gateway exited during the test:\n" + gatewayProcess.Output);
    }

    /// <summary>The fenced code blocks of the section, each as its non-empty lines.</summary>
    private static List<List<string>> CodeBlocks(string readme)
    {
        var start = readme.IndexOf(Section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no section '{Section}'.");
        var body = readme[(start + Section.Length)..];
        var end = body.IndexOf("\n## ", StringComparison.Ordinal);
        body = end >= 0 ? body[..end] : body;

        var blocks = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in body.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (current is null)
                {
                    current = [];
                }
                else
                {
                    blocks.Add(current);
                    current = null;
                }
            }
            else if (current is not null && line.Trim().Length > 0)
            {
                current.Add(line.Trim());
            }
        }

        return blocks;
    }

    /// <summary>Topic name to partition count from kcat -L's text listing.</summary>
    private static Dictionary<string, int> Topics(string listing) =>
        TopicLine().Matches(listing)
            .Where(m => !m.Groups[1].Value.StartsWith("__", StringComparison.Ordinal))
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex("topic \"([^\"]+)\" with (\\d+) partitions")]
    private static partial Regex TopicLine();

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<Run> RunAsync(string line)
    {
        using var process = System.Diagnostics.Process.Start(Bash(line))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Run(line, -1, await stdout, $"timed out after {CommandTimeout}\n{await stderr}");
        }

        return new Run(line, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>bash -c with the line exactly as README prints it, from the repository root.</summary>
    private static System.Diagnostics.ProcessStartInfo Bash(string line)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash")
        {
            WorkingDirectory = RepoPaths.RepoRoot(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(line);
        // The test host's MSBuild settings belong to the test run, not to a reader's shell.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }

        // A build that `dotnet run` starts must not leave build servers running after the test.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        return start;
    }

    private sealed record Run(string Line, int ExitCode, string Stdout, string Stderr)
    {
        public string Describe() => $"`{Line}` exited with {ExitCode}.\n--- stderr ---\n{Stderr}\n--- stdout ---\n{Stdout}";
    }

    /// <summary>A long-running README command; killed with its children (dotnet run starts pz) at the end.</summary>
    private sealed class Background : IAsyncDisposable
    {
        private readonly System.Diagnostics.Process _process;
        private readonly System.Text.StringBuilder _output = new();
        private readonly string _line;

        private Background(string line)
        {
            _line = line;
            _process = new System.Diagnostics.Process { StartInfo = Bash(line) };
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.Start();
            _process.StandardInput.Close();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static Background Start(string line) => new(line);

        /// <summary>Until the command's listener accepts connections; fails at once if the command exits.</summary>
        public async Task WaitForPortAsync(int port, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                Assert.False(_process.HasExited, $"`{_line}` exited with {(_process.HasExited ? _process.ExitCode : 0)} before listening on {port}:\n{Output}");
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return;
                }
                catch (SocketException)
                {
                    await Task.Delay(500);
                }
            }

            Assert.Fail($"`{_line}` did not listen on {port} within {timeout}:\n{Output}");
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
