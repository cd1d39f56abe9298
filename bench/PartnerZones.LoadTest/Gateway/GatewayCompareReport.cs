using System.Globalization;
using System.Runtime.InteropServices;
using PartnerZones.LoadTest.Reporting;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>
/// The comparison as a Markdown table (medians per scenario, each side) and one "ratio" line per scenario
/// checked against the targets: throughput through the gateway at least 0.95 of direct for unthrottled
/// workloads, and p99 produce latency at most 2 ms more at a fixed rate. The lines judge the median of the
/// repetitions' paired figures (each direct run against the gateway run next to it) and list each one.
/// An unthrottled producer's latency is its own queue at saturation, so it is shown but not judged.
/// </summary>
internal static class GatewayCompareReport
{
    public const double ThroughputTarget = 0.95;
    public const double AddedP99TargetMs = 2.0;

    /// <summary>Median figures of one scenario on one side.</summary>
    private sealed record Side(int Runs, double RecordsPerSecond, double MegabytesPerSecond, double P50Ms, double P99Ms, double GatewayCpuSecondsPerGb, string Status);

    public static void Write(TextWriter output, GatewayCompareSettings settings, GatewayCompareRunner.Outcome outcome)
    {
        var load = settings.Load;
        output.WriteLine();
        output.WriteLine($"Gateway comparison: embedded cluster of {settings.Nodes} node(s) in this process, `pz gateway` in its own process, SASL PLAIN through the gateway; " +
                         $"{load.RecordSize} B records, {load.Partitions} partitions, linger.ms {load.LingerMs}, {(load.BatchSize is { } batch ? $"batch.size {batch:N0}, " : "")}fetch.queue.backoff.ms {load.FetchQueueBackoffMs}, " +
                         $"up to {load.Records:N0} records per unthrottled run, phase limit {load.PhaseLimit.TotalSeconds:N0} s, median of {load.Repeat} run(s); " +
                         $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; " +
                         $"load average {outcome.LoadBefore} before, {outcome.LoadAfter} after");
        if (settings.HeaderRules)
        {
            output.WriteLine("Zone header rules: 3 headers added on produce (templates filled), one of them (pz-time) removed on consume");
        }

        if (settings.GatewayEnvironment.Count > 0)
        {
            output.WriteLine($"Gateway environment: {string.Join(", ", settings.GatewayEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        }

        output.WriteLine();
        output.WriteLine("| scenario | direct rec/s | gateway rec/s | ratio | direct MB/s | gateway MB/s | direct p50 / p99 ms | gateway p50 / p99 ms | added p50 / p99 ms | gateway CPU s/GB | status |");
        output.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        var lines = new List<string>();
        var measured = outcome.Runs.Where(r => settings.Variants.Contains(r.Variant)).ToList();
        foreach (var variant in settings.Variants)
        {
            var direct = Produce(measured.Where(r => r.Variant == variant && r.Result.Target == GatewayBench.DirectSpec));
            var gateway = Produce(measured.Where(r => r.Variant == variant && r.Result.Target == GatewayBench.GatewaySpec));
            if (direct is null || gateway is null)
            {
                continue;
            }

            WriteRow(output, variant.Name, direct, gateway, latency: true);
            var pairs = Pairs(measured.Where(r => r.Variant == variant));
            var throughput = Paired(pairs, (d, g) => g.Produce.RecordsPerSecond / d.Produce.RecordsPerSecond);
            var addedP99 = Paired(pairs, (d, g) => g.Produce.P99Ms - d.Produce.P99Ms);
            var addedP50 = Paired(pairs, (d, g) => g.Produce.P50Ms - d.Produce.P50Ms);
            lines.Add(variant.Throttled
                ? $"ratio {variant.Name}: p99 added {Ms(addedP99.Median)} ms (per repetition {addedP99.Each(Ms)}; target < {AddedP99TargetMs:N0} ms: {Verdict(addedP99.Median < AddedP99TargetMs)}); " +
                  $"p50 added {Ms(addedP50.Median)} ms; throughput {Ratio(throughput.Median)} (held to the rate, not judged); gateway CPU {Cpu(gateway.GatewayCpuSecondsPerGb)} s/GB"
                : $"ratio {variant.Name}: throughput {Ratio(throughput.Median)} (per repetition {throughput.Each(Ratio)}; target >= {ThroughputTarget:N2}: {Verdict(throughput.Median >= ThroughputTarget)}); " +
                  $"gateway CPU {Cpu(gateway.GatewayCpuSecondsPerGb)} s/GB; p99 added {Ms(addedP99.Median)} ms (unthrottled: the producer's own queue, not judged)");
        }

        var unthrottled = measured.Where(r => !r.Variant.Throttled).ToList();
        var consumeDirect = Consume(unthrottled.Where(r => r.Result.Target == GatewayBench.DirectSpec));
        var consumeGateway = Consume(unthrottled.Where(r => r.Result.Target == GatewayBench.GatewaySpec));
        if (consumeDirect is not null && consumeGateway is not null)
        {
            WriteRow(output, "consume", consumeDirect, consumeGateway, latency: false);
            var throughput = Paired(settings.Variants.Where(v => !v.Throttled).SelectMany(v => Pairs(unthrottled.Where(r => r.Variant == v))).ToList(),
                (d, g) => g.Consume.RecordsPerSecond / d.Consume.RecordsPerSecond);
            lines.Add($"ratio consume: throughput {Ratio(throughput.Median)} (per repetition {throughput.Each(Ratio)}; target >= {ThroughputTarget:N2}: {Verdict(throughput.Median >= ThroughputTarget)}); " +
                      $"gateway CPU {Cpu(consumeGateway.GatewayCpuSecondsPerGb)} s/GB");
        }

        output.WriteLine();
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        output.WriteLine();
        output.WriteLine($"gateway process: {outcome.GatewayCpuTotal.TotalSeconds:N1} s CPU over the whole run (warm-up included), " +
                         $"{outcome.GatewayIdleCpuMsPerSecond:N0} ms/s of CPU while idle after it, peak working set {outcome.GatewayPeakWorkingSet / 1e6:N0} MB");
    }

    /// <summary>Values of one figure per repetition and their median.</summary>
    private sealed record PairedFigure(IReadOnlyList<double> Values)
    {
        public double Median => SummaryRow.Median(Values);

        public string Each(Func<double, string> format) => string.Join(", ", Values.Select(format));
    }

    /// <summary>Each repetition's direct and gateway run of one workload: they ran back to back, so their
    /// ratio is less exposed to the machine's load changing during the whole run than a ratio of medians.</summary>
    private static List<(ScenarioResult Direct, ScenarioResult Gateway)> Pairs(IEnumerable<CompareRun> runs)
    {
        var list = runs.ToList();
        var direct = list.Where(r => r.Result.Target == GatewayBench.DirectSpec).Select(r => r.Result);
        var gateway = list.Where(r => r.Result.Target == GatewayBench.GatewaySpec).Select(r => r.Result);
        return [.. direct.Zip(gateway)];
    }

    private static PairedFigure Paired(List<(ScenarioResult Direct, ScenarioResult Gateway)> pairs, Func<ScenarioResult, ScenarioResult, double> figure) =>
        new([.. pairs.Select(p => figure(p.Direct, p.Gateway))]);

    private static Side? Produce(IEnumerable<CompareRun> runs)
    {
        var results = runs.Select(r => r.Result).ToList();
        return results.Count == 0 ? null : new Side(
            results.Count,
            SummaryRow.Median(results.Select(r => r.Produce.RecordsPerSecond)),
            SummaryRow.Median(results.Select(r => r.Produce.MegabytesPerSecond)),
            SummaryRow.Median(results.Select(r => r.Produce.P50Ms)),
            SummaryRow.Median(results.Select(r => r.Produce.P99Ms)),
            SummaryRow.Median(results.Select(r => PerGb(r.ServerProduceCpu, r.Produce.ValueBytes))),
            string.Join("; ", results.Select(r => r.Status).Distinct()));
    }

    private static Side? Consume(IEnumerable<CompareRun> runs)
    {
        var results = runs.Select(r => r.Result).ToList();
        return results.Count == 0 ? null : new Side(
            results.Count,
            SummaryRow.Median(results.Select(r => r.Consume.RecordsPerSecond)),
            SummaryRow.Median(results.Select(r => r.Consume.MegabytesPerSecond)),
            double.NaN,
            double.NaN,
            SummaryRow.Median(results.Select(r => PerGb(r.ServerConsumeCpu, r.Consume.ValueBytes))),
            string.Join("; ", results.Select(r => r.Status).Distinct()));
    }

    private static void WriteRow(TextWriter output, string name, Side direct, Side gateway, bool latency)
    {
        var status = direct.Status == gateway.Status ? direct.Status : $"direct {direct.Status}; gateway {gateway.Status}";
        output.WriteLine(
            $"| {name} | {Rate(direct.RecordsPerSecond)} | {Rate(gateway.RecordsPerSecond)} | {Ratio(gateway.RecordsPerSecond, direct.RecordsPerSecond)} | " +
            $"{Mb(direct.MegabytesPerSecond)} | {Mb(gateway.MegabytesPerSecond)} | " +
            (latency
                ? $"{Ms(direct.P50Ms)} / {Ms(direct.P99Ms)} | {Ms(gateway.P50Ms)} / {Ms(gateway.P99Ms)} | {Ms(gateway.P50Ms - direct.P50Ms)} / {Ms(gateway.P99Ms - direct.P99Ms)} | "
                : "- | - | - | ") +
            $"{Cpu(gateway.GatewayCpuSecondsPerGb)} | {status} |");
    }

    /// <summary>Gateway CPU seconds per 10^9 bytes of record value moved in the phase.</summary>
    private static double PerGb(TimeSpan? cpu, long bytes) => cpu is { } c && bytes > 0 ? c.TotalSeconds / (bytes / 1e9) : double.NaN;

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static string Rate(double value) => double.IsNaN(value) ? "-" : value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Mb(double value) => double.IsNaN(value) ? "-" : value.ToString("N1", CultureInfo.InvariantCulture);

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("N2", CultureInfo.InvariantCulture);

    private static string Cpu(double value) => double.IsNaN(value) ? "-" : value.ToString("N1", CultureInfo.InvariantCulture);

    private static string Ratio(double numerator, double denominator) =>
        denominator > 0 && !double.IsNaN(numerator) ? (numerator / denominator).ToString("N2", CultureInfo.InvariantCulture) : "-";

    private static string Ratio(double ratio) => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "-" : ratio.ToString("N2", CultureInfo.InvariantCulture);
}
