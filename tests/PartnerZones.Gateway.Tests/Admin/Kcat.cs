using System.Diagnostics;

namespace PartnerZones.Gateway.Tests.Admin;

/// <summary>Runs kcat (Debian's package) as a separate process. A missing kcat fails the test: the test
/// command installs it (scripts/install-test-tools.sh).</summary>
internal static class Kcat
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(string? input, params string[] args)
    {
        var start = new ProcessStartInfo("kcat") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("kcat could not be started; install it: apt-get install kcat");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kcat {string.Join(' ', args)} did not finish within 60 s");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>-X options for a SASL login.</summary>
    public static string[] Sasl(string bootstrap, string mechanism, string user, string password, string protocol = "SASL_PLAINTEXT", string? caFile = null) =>
    [
        "-b", bootstrap,
        "-X", $"security.protocol={protocol}",
        "-X", $"sasl.mechanisms={mechanism}",
        "-X", $"sasl.username={user}",
        "-X", $"sasl.password={password}",
        .. caFile is null ? Array.Empty<string>() : ["-X", $"ssl.ca.location={caFile}"],
    ];
}
