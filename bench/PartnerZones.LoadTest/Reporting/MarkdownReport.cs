using System.Globalization;
using System.Runtime.InteropServices;

namespace PartnerZones.LoadTest.Reporting;

/// <summary>The run's figures as Markdown tables, ready to paste into docs/performance.md.</summary>
internal static class MarkdownReport
{
    public static void Write(TextWriter output, LoadSettings settings, IReadOnlyList<ScenarioResult> results)
    {
        var rate = settings.Rate > 0 ? $"{settings.Rate} rec/s" : "unthrottled";
        output.WriteLine();
        output.WriteLine($"{settings.Records:N0} records x {settings.RecordSize} B, {settings.Partitions} partitions, linger.ms {settings.LingerMs}, " +
                         $"producer {rate}, phase limit {settings.PhaseLimit.TotalSeconds:N0} s; " +
                         $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
                         $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        output.WriteLine();
        output.WriteLine("| target | acks | RF | produce rec/s | produce MB/s | p50 ms | p99 ms | consume rec/s | consume MB/s | status |");
        output.WriteLine("|---|---|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in results)
        {
            output.WriteLine(
                $"| {r.Target.Text} | {AcksText.Format(r.Acks)} | {r.Replication} | {Rate(r.Produce.RecordsPerSecond)} | {Mb(r.Produce.MegabytesPerSecond)} | " +
                $"{Ms(r.Produce.P50Ms)} | {Ms(r.Produce.P99Ms)} | {Rate(r.Consume.RecordsPerSecond)} | {Mb(r.Consume.MegabytesPerSecond)} | {r.Status} |");
        }

        if (settings.Compare && settings.Targets.Count == 2)
        {
            WriteRatios(output, settings, results);
        }
    }

    /// <summary>Second target over first, per acks: below 1 for rates and above 1 for latencies means the
    /// second target (the gateway) costs that much.</summary>
    private static void WriteRatios(TextWriter output, LoadSettings settings, IReadOnlyList<ScenarioResult> results)
    {
        var (a, b) = (settings.Targets[0], settings.Targets[1]);
        output.WriteLine();
        output.WriteLine($"Ratio {b.Text} / {a.Text}:");
        output.WriteLine();
        output.WriteLine("| acks | produce rec/s | consume rec/s | p50 latency | p99 latency |");
        output.WriteLine("|---|--:|--:|--:|--:|");
        foreach (var acks in settings.Acks)
        {
            var first = results.FirstOrDefault(r => r.Target == a && r.Acks == acks);
            var second = results.FirstOrDefault(r => r.Target == b && r.Acks == acks);
            if (first is null || second is null)
            {
                continue;
            }

            output.WriteLine(
                $"| {AcksText.Format(acks)} | {Ratio(second.Produce.RecordsPerSecond, first.Produce.RecordsPerSecond)} | " +
                $"{Ratio(second.Consume.RecordsPerSecond, first.Consume.RecordsPerSecond)} | " +
                $"{Ratio(second.Produce.P50Ms, first.Produce.P50Ms)} | {Ratio(second.Produce.P99Ms, first.Produce.P99Ms)} |");
        }
    }

    private static string Rate(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Mb(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("N2", CultureInfo.InvariantCulture);

    private static string Ratio(double numerator, double denominator) =>
        denominator > 0 && !double.IsNaN(numerator) ? (numerator / denominator).ToString("N2", CultureInfo.InvariantCulture) : "-";
}
