using System.Diagnostics;
using System.Threading.Channels;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>
/// `pz gateway --config FILE` as a child process, the way an operator runs it, so its CPU time is its own
/// (<see cref="Cpu"/>) and not mixed with the clients' and the cluster's in this process. Both output
/// streams are drained all the time: a gateway blocked on a full pipe while writing its audit log would
/// measure the pipe.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private const string ReadyLine = "gateway bootstrap listening on ";
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Queue<string> _errorTail = new();

    private GatewayProcess(Process process)
    {
        _process = process;
        _ = PumpAsync(process.StandardOutput, line => _lines.Writer.TryWrite(line), () => _lines.Writer.TryComplete());
        _ = PumpAsync(process.StandardError, RememberError, () => { });
    }

    public int ProcessId => _process.Id;

    /// <summary>CPU time the gateway process has used so far (all its threads, user and system).</summary>
    public TimeSpan Cpu()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public long PeakWorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    /// <summary>The pz.dll built beside this load test (the project references src/PartnerZones.Cli).</summary>
    public static string PzPath
    {
        get
        {
            var path = Path.Combine(Path.GetDirectoryName(typeof(GatewayProcess).Assembly.Location)!, "pz.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"{path} is missing; build bench/PartnerZones.LoadTest, which builds `pz` beside it.", path);
        }
    }

    /// <summary>Starts the gateway and waits until it listens; throws with the end of its error output when
    /// it exits or stays silent instead.</summary>
    public static async Task<GatewayProcess> StartAsync(string configFile, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var host = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(PzPath);
        start.ArgumentList.Add("gateway");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configFile);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var gateway = new GatewayProcess(Process.Start(start) ?? throw new IOException($"could not start {host} {PzPath}"));
        try
        {
            await gateway.WaitReadyAsync(timeout).ConfigureAwait(false);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cancel.Token).ConfigureAwait(false))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (line.StartsWith(ReadyLine, StringComparison.Ordinal))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"pz gateway did not report listening within {timeout.TotalSeconds:N0} s; its last errors: {ErrorTail}");
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        throw new IOException($"pz gateway exited with code {_process.ExitCode} before listening; its last errors: {ErrorTail}");
    }

    private string ErrorTail
    {
        get
        {
            lock (_errorTail)
            {
                return _errorTail.Count == 0 ? "(none)" : string.Join(Environment.NewLine, _errorTail);
            }
        }
    }

    private void RememberError(string line)
    {
        lock (_errorTail)
        {
            _errorTail.Enqueue(line);
            while (_errorTail.Count > 20)
            {
                _errorTail.Dequeue();
            }
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine, Action onEnd)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                onLine(line);
            }
        }
        catch (IOException)
        {
            // The process is gone; nothing more to read.
        }
        finally
        {
            onEnd();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The gateway holds nothing worth a graceful stop here: its state lives in this run's embedded
            // cluster, which stops next.
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"  pz gateway (pid {_process.Id}) did not exit within 30 s of being killed.");
            }
        }

        _process.Dispose();
    }
}
