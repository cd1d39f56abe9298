using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace PartnerZones.Testing.ProcessClients;

/// <summary>A `pz` command (a server: console, dev, kafka, gateway) running in the background. Standard output and standard error
/// are read all along, whether or not a test reads every line, so the process never blocks on a full pipe;
/// lines come to the test one by one, and a failure names what the process printed. Disposing kills the
/// process if it is still running, so a failed test leaves nothing behind.</summary>
public sealed class PzBackground : IDisposable
{
    private const int Sigterm = 15;
    private readonly Process _process;
    private readonly string _command;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Task _outputPump;
    private readonly Task _errorPump;
    private bool _disposed;

    /// <summary>Takes over a started process (standard output and error redirected); <paramref name="args"/>
    /// name the command in failures.</summary>
    public PzBackground(Process process, IEnumerable<string> args)
    {
        _process = process;
        _command = "pz " + string.Join(' ', args);
        _outputPump = PumpAsync(process.StandardOutput, _output, line => _lines.Writer.TryWrite(line), () => _lines.Writer.TryComplete());
        _errorPump = PumpAsync(process.StandardError, _error, _ => { }, () => { });
    }

    public int Id => _process.Id;

    /// <summary>Everything written to standard output so far, the lines not read yet included.</summary>
    public string Output => Snapshot(_output);

    /// <summary>Everything written to standard error so far.</summary>
    public string Error => Snapshot(_error);

    /// <summary>The next line of standard output, or null when the process closed it (it exited).</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.WaitToReadAsync(cancel.Token) && _lines.Reader.TryRead(out var line) ? line : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_command} printed no further line within {timeout.TotalSeconds:0} s. {Printed()}");
        }
    }

    /// <summary>The next line of standard output; fails, with what the process printed, when it exited instead.</summary>
    public async Task<string> ReadRequiredLineAsync(TimeSpan timeout) =>
        await ReadLineAsync(timeout) ?? throw new InvalidOperationException($"{_command} exited ({await ExitCodeAsync()}) instead of printing a line. {Printed()}");

    /// <summary>Sends SIGTERM, as a service manager or `kill` does, and waits up to <paramref name="timeout"/>
    /// for the process to exit; returns its exit code. When it does not exit, the failure says what it printed.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        Terminate();
        return await WaitForExitAsync(timeout);
    }

    /// <summary>Sends SIGTERM and returns at once.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit and returns its exit code; when
    /// it does not exit, the failure says what it printed.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{_command} did not exit within {timeout.TotalSeconds:0} s. {Printed()}");
        }

        return _process.ExitCode;
    }

    /// <summary>What the process printed: its whole standard output and standard error, once both are closed
    /// (briefly waited for) or as far as they came.</summary>
    public string Printed()
    {
        try
        {
            Task.WaitAll([_outputPump, _errorPump], _process.HasExited ? TimeSpan.FromSeconds(5) : TimeSpan.Zero);
        }
        catch (AggregateException)
        {
            // A pipe that failed to read: show what came before.
        }

        return $"stdout:\n{Output}\nstderr:\n{Error}";
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

    private async Task<string> ExitCodeAsync()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return $"exit code {_process.ExitCode}";
        }
        catch (OperationCanceledException)
        {
            return "still running";
        }
    }

    private static string Snapshot(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder text, Action<string> onLine, Action onEnd)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (text)
                {
                    text.AppendLine(line);
                }

                onLine(line);
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while reading: the test is over.
        }
        finally
        {
            onEnd();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
