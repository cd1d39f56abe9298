using System.CommandLine;
using System.Globalization;
using PartnerZones.LoadTest;

namespace PartnerZones.Gateway.Tests.Bench;

/// <summary>
/// `pz-loadtest gateway-compare --quick` end to end: it starts an embedded cluster and a real `pz gateway`
/// process, runs each workload direct and through the gateway, and prints the comparison. Only that both
/// sides moved every record is asserted, never a performance figure (the machine is shared).
/// </summary>
public sealed class GatewayCompareSmokeTests
{
    [Fact]
    public async Task Quick_comparison_moves_records_on_both_sides_and_prints_the_ratio_lines()
    {
        using var output = new StringWriter();
        using var progress = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));

        var exit = await LoadTestCommand.Build()
            .Parse(["gateway-compare", "--quick"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = progress }, timeout.Token);

        var report = output.ToString();
        var context = $"exit {exit}{Environment.NewLine}{report}{Environment.NewLine}progress:{Environment.NewLine}{progress}";
        // 1 would mean a record was lost or mangled on either side, 2 that the gateway or cluster did not start.
        Assert.True(exit == 0, context);
        Assert.Contains("direct: warm-up of 2000 records ok", progress.ToString());
        Assert.Contains("gateway: warm-up of 2000 records ok", progress.ToString());
        foreach (var scenario in new[] { "produce acks=1", "produce acks=all", "produce acks=1 at 1,000 rec/s", "produce acks=all at 1,000 rec/s", "consume" })
        {
            var row = report.Split('\n').SingleOrDefault(l => l.StartsWith($"| {scenario} |", StringComparison.Ordinal));
            Assert.True(row is not null, $"no table row for {scenario}: {context}");
            var cells = row.Split('|').Select(c => c.Trim()).ToArray();
            Assert.True(Rate(cells[2]) > 0, $"direct moved no records in {scenario}: {context}");
            Assert.True(Rate(cells[3]) > 0, $"the gateway moved no records in {scenario}: {context}");
            Assert.EndsWith("| ok |", row.TrimEnd());
            // Unthrottled workloads are judged by throughput, fixed-rate ones by added latency.
            Assert.Contains(scenario.Contains(" at ", StringComparison.Ordinal) ? $"ratio {scenario}: p99 added " : $"ratio {scenario}: throughput ", report);
        }

        Assert.Matches(@"gateway CPU [0-9.,]+ s/GB", report);
    }

    private static double Rate(string cell) =>
        double.TryParse(cell, NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
