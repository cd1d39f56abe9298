using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PartnerZones.ControlPlane.Tests.Verification;

/// <summary>
/// README's first command, as written: the Quick start's <c>dotnet publish ... &amp;&amp; export PATH=...</c>
/// line runs in bash in a copy of the repository's sources (so this build never touches the tree the
/// tests run from), and the <c>pz</c> it puts on PATH runs. The next command, <c>pz dev</c>, starts the
/// README walkthrough, which its own test runs as written.
/// </summary>
public sealed partial class QuickStartTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-quick-start-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_quick_start_publish_command_puts_a_working_pz_on_the_path()
    {
        var readme = File.ReadAllText(Path.Combine(Configuration.Repository.Root, "README.md"));
        var section = Section(readme, "Quick start");
        var block = FirstFence().Match(section);
        Assert.True(block.Success, "README's Quick start has no code block");
        var lines = block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines is [var first, "pz dev", ..] && first.StartsWith("dotnet publish ", StringComparison.Ordinal) && first.Contains("export PATH=", StringComparison.Ordinal),
            $"the Quick start should begin with the publish line and then pz dev; it is:\n{block.Groups[1].Value}");

        var root = Path.Combine(_directory, "repo");
        CopySources(Configuration.Repository.Root, root);
        var (exit, output, error) = await BashAsync(root, $"set -eu\n{lines[0]}\ncommand -v pz\npz --version\npz dev --help\n");
        Assert.True(exit == 0, $"the Quick start failed (exit {exit}):\n{lines[0]}\nstdout: {output}\nstderr: {error}");
        var outputLines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(Path.Combine(root, ".pz-bin", "pz"), outputLines);
        Assert.Contains(outputLines, l => Regex.IsMatch(l, @"^\d+\.\d+\.\d+"));
        Assert.Contains("--console-port", output);
    }

    private static string Section(string readme, string heading)
    {
        var start = readme.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '## {heading}' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    /// <summary>What a fresh clone has for building the CLI: the shared build files and src/, without build output.</summary>
    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in new[] { ".editorconfig", "Directory.Build.props", "Directory.Packages.props", "global.json", "PartnerZones.slnx" })
        {
            if (File.Exists(Path.Combine(from, file)))
            {
                File.Copy(Path.Combine(from, file), Path.Combine(to, file));
            }
        }

        CopyTree(Path.Combine(from, "src"), Path.Combine(to, "src"));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj" or "node_modules")))
        {
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }

    private static async Task<(int Exit, string Output, string Error)> BashAsync(string workingDirectory, string script)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        // The test host's MSBuild variables would point the nested build at the running SDK's internals.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        // No build servers left running after the test (they would outlive it and hold on to its pipes).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await bash.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"the Quick start did not finish within {Timeout.TotalMinutes:0} min: {await output} {await error}");
        }

        return (bash.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"^```\w*\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FirstFence();
}
