using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Xunit;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>What one client process did: its exit, its output, and whether it ran out of time.</summary>
public sealed record ClientRun(string CommandLine, int ExitCode, bool TimedOut, string Stdout, string Stderr)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>Enough to diagnose a failure from the test report alone: the command, how it ended,
    /// and the tail of both streams (debug logs can be long; the end holds the error).</summary>
    public string Describe()
    {
        var ending = TimedOut ? "timed out and was killed" : $"exited with {ExitCode}";
        return $"`{CommandLine}` {ending}.\n--- stderr (tail) ---\n{Tail(Stderr, 8000)}\n--- stdout (tail) ---\n{Tail(Stdout, 2000)}";
    }

    private static string Tail(string text, int max) => text.Length <= max ? text : "..." + text[^max..];
}

/// <summary>Runs a Kafka client as a separate process with a bounded time, feeding stdin and capturing both streams.</summary>
public static class ClientProcess
{
    public static async Task<ClientRun> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, string? stdin = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Debian's /usr/bin/python3 must find its own packages; a PYTHONHOME or PYTHONPATH meant for
        // another Python build on this machine would hide them.
        start.Environment.Remove("PYTHONHOME");
        start.Environment.Remove("PYTHONPATH");

        var commandLine = string.Join(' ', arguments.Prepend(fileName).Select(a => a.Contains(' ') ? $"'{a}'" : a));
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"Could not start `{commandLine}`: {e.Message}. {ClientTools.InstallHint}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }

        process.StandardInput.Close();

        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new ClientRun(commandLine, process.ExitCode, timedOut, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
