using System.Diagnostics;

namespace PartnerZones.LoadTest.Workload;

/// <summary>Nearest-rank percentiles of Stopwatch tick durations, in milliseconds.</summary>
internal static class Latencies
{
    public static double PercentileMs(long[] sortedTicks, double percentile)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sortedTicks.Length);
        return ToMs(sortedTicks[Math.Clamp(rank - 1, 0, sortedTicks.Length - 1)]);
    }

    public static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
