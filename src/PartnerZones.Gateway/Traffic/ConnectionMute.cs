namespace PartnerZones.Gateway.Traffic;

/// <summary>
/// Holds back one connection's read loop after a throttled answer, as a Kafka broker mutes a throttled
/// channel: the answer goes out at once with its throttle time, and no further request is read until the
/// time has passed. Responses already owed keep flowing; nothing is dropped and nothing is refused.
/// </summary>
public sealed class ConnectionMute
{
    private long _untilMs;

    /// <summary>Mutes until <paramref name="untilMs"/> (Environment.TickCount64), unless already muted longer.</summary>
    public void Until(long untilMs)
    {
        long seen;
        do
        {
            seen = Volatile.Read(ref _untilMs);
        }
        while (untilMs > seen && Interlocked.CompareExchange(ref _untilMs, untilMs, seen) != seen);
    }

    /// <summary>When the mute ends (Environment.TickCount64): until then the connection is held back, not idle.</summary>
    public long UntilMs => Volatile.Read(ref _untilMs);

    /// <summary>Waits, before the next request is read, for a mute to end; a mute extended meanwhile is waited for too.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _untilMs) - Environment.TickCount64 is var left && left > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(left), cancellationToken).ConfigureAwait(false);
        }
    }
}
