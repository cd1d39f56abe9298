using System.Diagnostics;
using System.Text.RegularExpressions;
using PartnerZones.Testing;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Cli.Tests.Walkthrough;

/// <summary>
/// README's "Share topics with a partner" runs as written: the test extracts its sh blocks (see
/// <see cref="ReadmeBlocks"/> for the convention) and runs them in bash with the built `pz` on PATH, in a
/// temporary directory standing for the repository root. Changing a README command changes what runs.
///
/// Ports: `pz dev` is the one block that names none, and the test adds its own --kafka-port,
/// --gateway-port, --gateway-admin-port and --console-port to it (free ports below the ephemeral range),
/// so the walkthrough runs beside other tests and whatever a developer has on 8080. Every later block
/// takes its addresses from the env file `pz dev` writes, or from the console, so it runs unchanged.
/// </summary>
public sealed partial class ReadmeWalkthroughTests
{
    private const string Heading = "Share topics with a partner";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_partner_walkthrough_runs_as_written_in_the_readme()
    {
        var blocks = ReadmeBlocks.Section(File.ReadAllText(Path.Combine(RepoPaths.Root(), "README.md")), Heading);
        var server = Assert.Single(blocks, b => b.Background);
        Assert.True(server.Number == 1 && server.Text.Trim() == "pz dev", $"the walkthrough must start with a background block that is exactly 'pz dev'; found {server}");
        var steps = blocks.Where(b => !b.Background).ToList();

        // The walkthrough restarts pz dev once: the blocks before the restart run in one terminal session,
        // the blocks after it in the same terminal (its exported variables kept) against the restarted servers.
        var restartAt = Assert.Single(steps, s => s.RestartBefore);
        var beforeRestart = steps.TakeWhile(s => s != restartAt).ToList();
        var afterRestart = steps.SkipWhile(s => s != restartAt).ToList();

        using var shell = new WalkthroughShell();
        var ports = LoopbackPorts.FreeRange(5);
        var flags = $"--kafka-port {ports} --gateway-port {ports + 1} --gateway-admin-port {ports + 3} --console-port {ports + 4}";
        var dev = StartDev(shell, server, flags);
        var results = new List<BlockResult>();
        var exit = 0;
        try
        {
            var export = await ExportLineAsync(dev);
            Assert.Contains($"PZ_BASE_URL=http://127.0.0.1:{ports + 4} ", export);
            (var first, exit) = await RunAsync(shell, beforeRestart, dev);
            results.AddRange(first);
            if (exit == 0 && first.Count == beforeRestart.Count)
            {
                dev.Terminate();
                Assert.Equal(0, await dev.WaitForExitAsync(TimeSpan.FromSeconds(60)));
                dev.Dispose();
                dev = StartDev(shell, server, flags);
                Assert.Equal(export, await ExportLineAsync(dev));
                (var second, exit) = await RunAsync(shell, afterRestart, dev, export);
                results.AddRange(second);
            }
        }
        catch
        {
            dev.Dispose();
            throw;
        }

        using var running = dev;
        var report = string.Join("\n", results.Select(WalkthroughShell.Describe)) + $"\n--- pz dev stderr:\n{dev.Error}";
        Assert.True(exit == 0 && results.Count == steps.Count, $"the walkthrough stopped (exit {exit}) at {results.LastOrDefault()?.Block}\n{report}");

        // After the restart the partner connects as before it.
        var afterListing = results.Single(r => r.Block == restartAt).Output;
        var afterTopics = Topic().Matches(afterListing).Select(m => m.Groups[1].Value).Order().ToList();
        Assert.True(afterTopics.SequenceEqual(["topic-a", "topic-b"]), $"after the restart the partner should see topic-a and topic-b, saw [{string.Join(", ", afterTopics)}]\n{report}");

        // What each step promises, found by the command it runs (a step missing from README fails here).
        var admin = Step(results, "passthrough/username/admin");
        Assert.True(admin.Output.Contains("topic \"kafka-topic-a\"", StringComparison.Ordinal), $"the admin does not see the backing topic\n{report}");

        Assert.Contains("PartnerZone/external-partner-zone: Created", Step(results, "pz apply -f examples/partner-zone.yaml").Output);
        Assert.Contains("status: READY", Step(results, "status: (READY").Output);

        Step(results, "generate-credentials external-partner-zone -o properties > partner.properties");
        var properties = File.ReadAllLines(Path.Combine(shell.WorkingDirectory, "partner.properties"));
        Assert.Contains($"bootstrap.servers=127.0.0.1:{ports + 1}", properties);
        Assert.Contains("sasl.mechanism=PLAIN", properties);

        var listing = Step(results, "kcat -F partner.properties -L\n").Output;
        var topics = Topic().Matches(listing).Select(m => m.Groups[1].Value).Order().ToList();
        Assert.True(topics.SequenceEqual(["topic-a", "topic-b"]), $"the partner should see topic-a and topic-b only, saw [{string.Join(", ", topics)}]\n{report}");

        var produced = Produced().Match(Step(results, "-P -t topic-a").Block.Text);
        Assert.True(produced.Success, "the walkthrough no longer produces to topic-a with: echo \"...\" | kcat -F partner.properties -P -t topic-a");
        var consumed = Step(results, "-C -t topic-b").Output;
        Assert.True(consumed.Contains(produced.Groups[1].Value, StringComparison.Ordinal), $"topic-b did not give back '{produced.Groups[1].Value}'\n{report}");

        // pz delete waits for the gateway's confirmation, so the very next login is already refused.
        var deleted = Step(results, "pz delete PartnerZone external-partner-zone");
        Assert.True(deleted.Output.Contains("PartnerZone/external-partner-zone: Deleted", StringComparison.Ordinal), $"pz delete did not confirm the deletion\n{report}");
        Assert.True(deleted.Error.Contains("waiting up to 60 s for the gateway to confirm the removal", StringComparison.Ordinal), $"pz delete did not say what it waits for\n{report}");
        var refused = Assert.Single(results, r => r.Block.ExpectFailure);
        Assert.True(refused.Block.Text.Contains("kcat -F partner.properties", StringComparison.Ordinal), $"the failing step should be the partner's kcat: {refused.Block}");
        Assert.True(refused.Error.Contains("Authentication failed", StringComparison.Ordinal), $"the partner's login was not refused\n{report}");

        dev.Terminate();
        Assert.Equal(0, await dev.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static PzBackground StartDev(WalkthroughShell shell, ReadmeBlock server, string flags) =>
        new(Process.Start(shell.Command($"exec {server.Text.Trim()} {flags}"))!, ["dev", flags]);

    /// <summary>The export line pz dev prints once it is ready to be used.</summary>
    private static async Task<string> ExportLineAsync(PzBackground dev)
    {
        while (await dev.ReadLineAsync(StartTimeout) is { } line)
        {
            if (line.StartsWith("export PZ_BASE_URL=", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new Xunit.Sdk.XunitException($"pz dev exited before printing its export line; stderr: {dev.Error}");
    }

    private static async Task<(IReadOnlyList<BlockResult> Results, int Exit)> RunAsync(WalkthroughShell shell, IReadOnlyList<ReadmeBlock> blocks, PzBackground dev, string? environment = null)
    {
        try
        {
            return await shell.RunAsync(blocks, RunTimeout, environment);
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- pz dev stderr:\n{dev.Error}");
        }
    }

    private static BlockResult Step(IReadOnlyList<BlockResult> results, string command) =>
        results.FirstOrDefault(r => !r.Block.ExpectFailure && r.Block.Text.Contains(command, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"README's walkthrough has no step running '{command.Trim()}'.");

    [GeneratedRegex("^  topic \"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex Topic();

    [GeneratedRegex("echo \"([^\"]+)\" \\| kcat -F partner.properties -P -t topic-a")]
    private static partial Regex Produced();
}
