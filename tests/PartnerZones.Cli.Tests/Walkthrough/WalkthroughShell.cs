using System.Diagnostics;
using System.Text;

namespace PartnerZones.Cli.Tests.Walkthrough;

/// <summary>What one block printed, and whether the run got past it.</summary>
public sealed record BlockResult(ReadmeBlock Block, string Output, string Error);

/// <summary>
/// A temporary working directory standing for the repository root (with a copy of <c>examples/</c>) and a
/// <c>PATH</c> whose <c>pz</c> runs the built pz.dll. Blocks run in one bash session, so variables one
/// block sets (a token) reach the next, exactly as in the reader's terminal.
/// </summary>
public sealed class WalkthroughShell : IDisposable
{
    private const string Marker = "@@walkthrough-block ";
    private static readonly string[] ClientVariables =
        ["PZ_BASE_URL", "PZ_CONSOLE_URL", "CDK_BASE_URL", "PZ_API_KEY", "CDK_API_KEY", "PZ_ADMIN_USER", "PZ_ADMIN_PASSWORD"];

    private readonly string _root = Directory.CreateTempSubdirectory("pz-walkthrough-").FullName;

    public WalkthroughShell()
    {
        WorkingDirectory = Path.Combine(_root, "repo");
        CopyDirectory(Path.Combine(RepoPaths.Root(), "examples"), Path.Combine(WorkingDirectory, "examples"));
        var bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        var pz = Path.Combine(bin, "pz");
        File.WriteAllText(pz, $"#!/bin/sh\nexec dotnet '{RepoPaths.PzDll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(pz, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Path_ = bin + ":" + Environment.GetEnvironmentVariable("PATH");
    }

    public string WorkingDirectory { get; }

    private string Path_ { get; }

    /// <summary>A process for one command line, with the walkthrough's PATH and working directory.</summary>
    public ProcessStartInfo Command(string commandLine)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(commandLine);
        foreach (var name in ClientVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["PATH"] = Path_;
        return start;
    }

    /// <summary>Runs the blocks in order; stops at the first block that fails unexpectedly (its result is
    /// the last one returned). A run over <paramref name="timeout"/> is killed and reported.
    /// <paramref name="environment"/> runs first, unreported: what a terminal kept from an earlier session.</summary>
    public async Task<(IReadOnlyList<BlockResult> Results, int Exit)> RunAsync(IReadOnlyList<ReadmeBlock> blocks, TimeSpan timeout, string? environment = null)
    {
        var script = new StringBuilder("set -uo pipefail\n");
        if (environment is not null)
        {
            script.Append(environment).Append('\n');
        }

        foreach (var block in blocks)
        {
            script.Append($"printf '\\n{Marker}{block.Number}\\n'; printf '\\n{Marker}{block.Number}\\n' >&2\n");
            if (block.ExpectFailure)
            {
                // A subshell, so the expected failure ends this block only; it must fail.
                script.Append("set +e\n(\nset -e\n").Append(block.Text).Append(")\n");
                script.Append("if [ $? -eq 0 ]; then echo 'the block succeeded but the README says it fails' >&2; exit 97; fi\n");
            }
            else
            {
                script.Append("set -e\n").Append(block.Text).Append("set +e\n");
            }
        }

        using var process = Process.Start(Command(script.ToString()))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            var partial = Split(blocks, await output, await error);
            throw new TimeoutException($"the walkthrough did not finish within {timeout.TotalSeconds:0} s; it was running {partial.LastOrDefault()?.Block}\n"
                + string.Join("\n", partial.Select(Describe)));
        }

        return (Split(blocks, await output, await error), process.ExitCode);
    }

    public static string Describe(BlockResult result) =>
        $"--- {result.Block}--- stdout:\n{result.Output}\n--- stderr:\n{result.Error}";

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static List<BlockResult> Split(IReadOnlyList<ReadmeBlock> blocks, string output, string error)
    {
        var outputs = Parts(output);
        var errors = Parts(error);
        return [.. blocks.Where(b => outputs.ContainsKey(b.Number)).Select(b => new BlockResult(b, outputs[b.Number], errors.GetValueOrDefault(b.Number, "")))];
    }

    private static Dictionary<int, string> Parts(string text)
    {
        var parts = new Dictionary<int, string>();
        foreach (var part in text.Split("\n" + Marker).Skip(1))
        {
            var newline = part.IndexOf('\n');
            var number = int.Parse(newline < 0 ? part : part[..newline], System.Globalization.CultureInfo.InvariantCulture);
            parts[number] = newline < 0 ? "" : part[(newline + 1)..];
        }

        return parts;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }
}
