using PartnerZones.EmbeddedKafka.State;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// The cluster's background storage work: the flush timer (fsync of logs and the offsets journal every
/// <see cref="ClusterOptions.FlushIntervalMs"/>, data directory only) and the cleaner (retention and
/// compaction of every partition every <see cref="ClusterOptions.LogCleanupIntervalMs"/>, in memory too).
/// A failure is reported and the timer carries on.
/// </summary>
internal sealed class StorageMaintenance : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flusher;
    private readonly Task _cleaner;

    public StorageMaintenance(ClusterState state, OffsetJournal? journal, ClusterOptions options, Action<string>? report)
    {
        _flusher = options.DataDir is not null && options.FlushIntervalMs > 0
            ? Task.Run(() => EveryAsync(options.FlushIntervalMs, () =>
            {
                state.Flush();
                journal?.Flush();
            }, "flush", report))
            : Task.CompletedTask;
        _cleaner = options.LogCleanupIntervalMs > 0
            ? Task.Run(() => EveryAsync(options.LogCleanupIntervalMs, () => state.RunCleanup(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), "log cleanup", report))
            : Task.CompletedTask;
    }

    private async Task EveryAsync(int intervalMs, Action work, string what, Action<string>? report)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(intervalMs));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    work();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    report?.Invoke($"{what} failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_flusher, _cleaner).ConfigureAwait(false);
        _stop.Dispose();
    }
}
