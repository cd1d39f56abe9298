using System.Diagnostics;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.ControlPlane.Tests.Cli;

/// <summary>Runs the built `pz` as a separate process, the way a user does, with the environment a test
/// gives it (and none of the console variables of the machine running the tests).</summary>
internal static class Pz
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly string[] Inherited = ["PZ_BASE_URL", "PZ_CONSOLE_URL", "CDK_BASE_URL", "PZ_API_KEY", "CDK_API_KEY", "PZ_ADMIN_USER", "PZ_ADMIN_PASSWORD"];

    public static async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, string? input, params string[] args)
    {
        using var process = new Process { StartInfo = StartInfo(environment, args) };
        process.Start();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pz {string.Join(' ', args)} did not exit within {Timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts a server `pz` command (console, dev) in the background, with no standard input.</summary>
    public static PzBackground Background(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var process = Process.Start(StartInfo(environment, args))!;
        process.StandardInput.Close();
        return new PzBackground(process, args);
    }

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pz.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in Inherited)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
