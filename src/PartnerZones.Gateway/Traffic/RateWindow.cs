namespace PartnerZones.Gateway.Traffic;

/// <summary>
/// The amount recorded over the last <see cref="Samples"/> one-second samples, and the throttle time that
/// brings it back under a rate: the amount over the rate's allowance for the window, divided by the rate
/// (KIP-219's quota arithmetic). The window is measured from the start of the oldest sample still kept,
/// and is never shorter than one sample, so a burst after an idle spell gets at most about one second's
/// worth for free, and a steady sender is held to the rate within a sample's worth. Thread-safe: a zone's
/// connections share one window, and a lock per record costs nothing next to a request's work.
/// </summary>
public sealed class RateWindow
{
    public const int Samples = 10;

    public const long SampleMs = 1000;

    private readonly long[] _amounts = new long[Samples];
    private readonly long[] _starts = new long[Samples];
    private readonly Lock _lock = new();
    private int _current = -1;

    /// <summary>Records <paramref name="amount"/> at <paramref name="nowMs"/> (a monotonic clock) and returns
    /// how long, in milliseconds, the sender must wait to be back under <paramref name="ratePerSecond"/>
    /// (0 when it is under), together with the amount over the rate's allowance.</summary>
    public (long ThrottleMs, long Over) Record(long amount, double ratePerSecond, long nowMs)
    {
        lock (_lock)
        {
            Advance(nowMs);
            _amounts[_current] += amount;
            long total = 0;
            var oldest = nowMs;
            for (var i = 0; i < Samples; i++)
            {
                // A start of 0 marks a sample never used or cleared (the monotonic clock is never 0).
                if (_starts[i] != 0 && nowMs - _starts[i] < Samples * SampleMs)
                {
                    total += _amounts[i];
                    oldest = Math.Min(oldest, _starts[i]);
                }
            }

            var windowMs = Math.Max(nowMs - oldest, SampleMs);
            var over = total - (ratePerSecond * windowMs / 1000.0);
            if (over <= 0)
            {
                return (0, 0);
            }

            return ((long)Math.Ceiling(over * 1000.0 / ratePerSecond), (long)Math.Ceiling(over));
        }
    }

    /// <summary>Moves to the sample that covers <paramref name="nowMs"/>, clearing samples that fell out of
    /// the window; samples start on whole sample boundaries after the first.</summary>
    private void Advance(long nowMs)
    {
        if (_current >= 0 && nowMs - _starts[_current] < SampleMs)
        {
            return;
        }

        var start = _current < 0 ? nowMs : _starts[_current] + ((nowMs - _starts[_current]) / SampleMs * SampleMs);
        _current = (_current + 1) % Samples;
        _starts[_current] = start;
        _amounts[_current] = 0;
        for (var i = 0; i < Samples; i++)
        {
            if (i != _current && start - _starts[i] >= Samples * SampleMs)
            {
                _starts[i] = 0;
                _amounts[i] = 0;
            }
        }
    }
}
