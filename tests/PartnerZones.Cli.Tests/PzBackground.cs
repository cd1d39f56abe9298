using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace PartnerZones.Cli.Tests;

/// <summary>A `pz` process running in the background. Standard output arrives line by line; standard error is
/// collected. Disposing kills the process if it is still running, so a failed test leaves nothing behind.</summary>
public sealed class PzBackground : IDisposable
{
    private const int Sigterm = 15;
    private readonly Process _process;
    private readonly string _command;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _error = new();

    internal PzBackground(Process process, string[] args)
    {
        _process = process;
        _command = "pz " + string.Join(' ', args);
        _ = PumpAsync(process.StandardOutput, line => _lines.Writer.TryWrite(line), () => _lines.Writer.TryComplete());
        _ = PumpAsync(process.StandardError, line => { lock (_error) { _error.AppendLine(line); } }, () => { });
    }

    private bool _disposed;

    public int ProcessId => _process.Id;

    /// <summary>Everything written to standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>The next line of standard output, or null when the process closed it (exited).</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.WaitToReadAsync(cancel.Token) && _lines.Reader.TryRead(out var line) ? line : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_command} printed no line within {timeout.TotalSeconds:0} s; stderr: {Error}");
        }
    }

    /// <summary>Sends SIGTERM, as a service manager or `kill` does.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_command} did not exit within {timeout.TotalSeconds:0} s; stderr: {Error}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process with SIGKILL (when still running) and releases it; safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine, Action onEnd)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }

        onEnd();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
