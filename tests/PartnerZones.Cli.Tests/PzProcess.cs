using System.Diagnostics;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Cli.Tests;

/// <summary>Runs the built `pz` executable as a separate process, the way a user runs it.</summary>
public static class PzProcess
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => Run(StartInfo(args), args);

    private static (int ExitCode, string Output, string Error) Run(ProcessStartInfo start, string[] args)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pz {string.Join(' ', args)} did not exit within 60 s");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts `pz` in the background, for server commands: read its stdout line by line, stop it
    /// with SIGTERM.</summary>
    public static PzBackground Start(params string[] args) => new(Process.Start(StartInfo(args))!, args);

    internal static ProcessStartInfo StartInfo(string[] args)
    {
        var pz = Path.Combine(AppContext.BaseDirectory, "pz.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(pz);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
