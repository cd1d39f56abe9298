using System.Globalization;
using System.Runtime.InteropServices;

namespace PartnerZones.LoadTest.Reporting;

/// <summary>The run's figures as Markdown tables, ready to paste into docs/performance.md.</summary>
internal static class MarkdownReport
{
    public static void Write(TextWriter output, LoadSettings settings, IReadOnlyList<ScenarioResult> results)
    {
        var rows = SummaryRow.Fold(results);
        var rate = settings.Rate > 0 ? $"{settings.Rate} rec/s" : "unthrottled";
        output.WriteLine();
        output.WriteLine($"{settings.Records:N0} records x {settings.RecordSize} B, {settings.Partitions} partitions, linger.ms {settings.LingerMs}, " +
                         $"fetch.queue.backoff.ms {settings.FetchQueueBackoffMs}, " +
                         $"producer {rate}, phase limit {settings.PhaseLimit.TotalSeconds:N0} s, median of {settings.Repeat} run(s); " +
                         $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
                         $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        output.WriteLine();
        // CPU is this process's: clients and, for embedded targets, the cluster; for other targets the clients only.
        output.WriteLine("| target | acks | RF | produce rec/s | produce MB/s | p50 ms | p99 ms | produce CPU µs/rec | consume rec/s | consume MB/s | consume CPU µs/rec | status |");
        output.WriteLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in rows)
        {
            output.WriteLine(
                $"| {r.Target.Text} | {AcksText.Format(r.Acks)} | {r.Replication} | {Rate(r.ProduceRecordsPerSecond)} | {Mb(r.ProduceMegabytesPerSecond)} | " +
                $"{Ms(r.P50Ms)} | {Ms(r.P99Ms)} | {Micros(r.ProduceCpuMicros)} | " +
                $"{Rate(r.ConsumeRecordsPerSecond)} | {Mb(r.ConsumeMegabytesPerSecond)} | {Micros(r.ConsumeCpuMicros)} | {r.Status} |");
        }

        if (settings.Compare && settings.Targets.Count == 2)
        {
            WriteRatios(output, settings, rows);
        }
    }

    /// <summary>Second target over first, per acks: below 1 for rates and above 1 for latencies means the
    /// second target (the gateway) costs that much.</summary>
    private static void WriteRatios(TextWriter output, LoadSettings settings, IReadOnlyList<SummaryRow> rows)
    {
        var (a, b) = (settings.Targets[0], settings.Targets[1]);
        output.WriteLine();
        output.WriteLine($"Ratio {b.Text} / {a.Text} (medians):");
        output.WriteLine();
        output.WriteLine("| acks | produce rec/s | consume rec/s | p50 latency | p99 latency |");
        output.WriteLine("|---|--:|--:|--:|--:|");
        foreach (var acks in settings.Acks)
        {
            var first = rows.FirstOrDefault(r => r.Target == a && r.Acks == acks);
            var second = rows.FirstOrDefault(r => r.Target == b && r.Acks == acks);
            if (first is null || second is null)
            {
                continue;
            }

            output.WriteLine(
                $"| {AcksText.Format(acks)} | {Ratio(second.ProduceRecordsPerSecond, first.ProduceRecordsPerSecond)} | " +
                $"{Ratio(second.ConsumeRecordsPerSecond, first.ConsumeRecordsPerSecond)} | " +
                $"{Ratio(second.P50Ms, first.P50Ms)} | {Ratio(second.P99Ms, first.P99Ms)} |");
        }
    }

    private static string Rate(double value) => double.IsNaN(value) ? "-" : value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Mb(double value) => double.IsNaN(value) ? "-" : value.ToString("N1", CultureInfo.InvariantCulture);

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("N2", CultureInfo.InvariantCulture);

    private static string Micros(double value) => double.IsNaN(value) ? "-" : value.ToString("N1", CultureInfo.InvariantCulture);

    private static string Ratio(double numerator, double denominator) =>
        denominator > 0 && !double.IsNaN(numerator) ? (numerator / denominator).ToString("N2", CultureInfo.InvariantCulture) : "-";
}
