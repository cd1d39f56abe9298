using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest.Reporting;

/// <summary>The runs of one (target, acks) scenario folded into one row: the median of each figure on its
/// own (so the row may mix runs), and every run's status.</summary>
internal sealed record SummaryRow(
    TargetSpec Target,
    Acks Acks,
    short Replication,
    int Runs,
    double ProduceRecordsPerSecond,
    double ProduceMegabytesPerSecond,
    double P50Ms,
    double P99Ms,
    double ProduceCpuMicros,
    double ConsumeRecordsPerSecond,
    double ConsumeMegabytesPerSecond,
    double ConsumeCpuMicros,
    string Status)
{
    public static IReadOnlyList<SummaryRow> Fold(IEnumerable<ScenarioResult> results) =>
        [.. results
            .GroupBy(r => (r.Target, r.Acks))
            .Select(g => new SummaryRow(
                g.Key.Target,
                g.Key.Acks,
                g.First().Replication,
                g.Count(),
                Median(g.Select(r => r.Produce.RecordsPerSecond)),
                Median(g.Select(r => r.Produce.MegabytesPerSecond)),
                Median(g.Select(r => r.Produce.P50Ms)),
                Median(g.Select(r => r.Produce.P99Ms)),
                Median(g.Select(r => r.ProduceCpuMicrosPerRecord)),
                Median(g.Select(r => r.Consume.RecordsPerSecond)),
                Median(g.Select(r => r.Consume.MegabytesPerSecond)),
                Median(g.Select(r => r.ConsumeCpuMicrosPerRecord)),
                string.Join("; ", g.Select(r => r.Status).Distinct())))];

    /// <summary>Median of the values that are numbers; NaN when none is.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
