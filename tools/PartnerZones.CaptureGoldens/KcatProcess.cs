using System.ComponentModel;
using System.Diagnostics;

namespace PartnerZones.CaptureGoldens;

/// <summary>Runs kcat as a child process with a time limit, feeding stdin and collecting stdout.</summary>
internal sealed class KcatProcess(string executable)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public string Executable => executable;

    /// <summary>The first line of <c>kcat -V</c> with its version and librdkafka's.</summary>
    public async Task<string> VersionAsync()
    {
        var output = await RunAsync(["-V"], stdin: null).ConfigureAwait(false);
        return output.Split('\n').FirstOrDefault(l => l.StartsWith("Version", StringComparison.Ordinal))?.Trim()
            ?? throw new InvalidOperationException($"'{executable} -V' printed no version line:\n{output}");
    }

    /// <summary>Runs kcat to completion; throws when it fails or outlives the time limit.</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, string? stdin)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start '{executable}' ({e.Message}). Install kcat (apt-get install kcat) or pass --kcat <path>.", e);
        }

        using var process = started ?? throw new InvalidOperationException($"Could not start '{executable}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kcat {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s:\n{await stderr.ConfigureAwait(false)}");
        }

        var output = await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"kcat {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stderr.ConfigureAwait(false)}");
        }

        return output;
    }
}
