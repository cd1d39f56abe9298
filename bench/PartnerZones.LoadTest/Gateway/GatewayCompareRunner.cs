using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>
/// Runs every workload on the direct side and through the gateway, interleaved: per repetition, each
/// workload on both sides back to back, the side going first alternating between repetitions, so a
/// change in machine load or a warming cache hits both sides alike.
/// </summary>
internal static class GatewayCompareRunner
{
    public sealed record Outcome(IReadOnlyList<CompareRun> Runs, TimeSpan GatewayCpuTotal, double GatewayIdleCpuMsPerSecond, long GatewayPeakWorkingSet, string LoadBefore, string LoadAfter);

    /// <summary>How long the gateway's CPU is watched with no client connected after the runs: its background
    /// work (the state topic's consumer, the session sweeper) is part of every phase's CPU figure.</summary>
    private static readonly TimeSpan IdleWatch = TimeSpan.FromSeconds(2);

    public static async Task<Outcome> RunAsync(GatewayCompareSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var load = settings.Load;
        var variants = settings.Variants;
        var warmups = load.WarmupRecords > 0 ? 1 : 0;
        var runId = Guid.NewGuid().ToString("N")[..8];
        var loadBefore = LoadAverage.Read();
        progress.WriteLine($"load average before: {loadBefore}");
        await using var bench = await GatewayBench.StartAsync(settings.Nodes, load.Partitions, warmups + (load.Repeat * variants.Count), runId,
            settings.GatewayEnvironment, m => progress.WriteLine($"  {m}"), settings.HeaderRules).ConfigureAwait(false);
        OpenTarget[] sides = [bench.Direct, bench.ViaGateway];
        var gatewayCpuStart = bench.Gateway.Cpu();
        var runs = new List<CompareRun>();

        if (warmups > 0)
        {
            var warmup = load with { Records = load.WarmupRecords, Rate = 0 };
            foreach (var side in sides)
            {
                var result = await ScenarioRun.RunAsync(side, $"{load.TopicPrefix}-{runId}-warmup", Acks.Leader, warmup, cancellationToken).ConfigureAwait(false);
                progress.WriteLine($"{side.Spec.Text}: warm-up of {load.WarmupRecords} records {result.Status}");
                if (result.Failed)
                {
                    // A side that loses records while warming up will not give figures worth waiting for.
                    runs.Add(new CompareRun(new CompareVariant(Acks.Leader, 0, load.WarmupRecords), result));
                    return await FinishAsync().ConfigureAwait(false);
                }
            }
        }

        for (var repetition = 1; repetition <= load.Repeat; repetition++)
        {
            foreach (var variant in variants)
            {
                var order = repetition % 2 == 1 ? sides : sides.Reverse().ToArray();
                foreach (var side in order)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var settingsForRun = load with { Records = variant.Records, Rate = variant.Rate };
                    var topic = $"{load.TopicPrefix}-{runId}-{runs.Count}";
                    progress.WriteLine($"{side.Spec.Text} {variant.Name} run {repetition}/{load.Repeat}: {variant.Records} records of {load.RecordSize} B (load average {LoadAverage.Read()})");
                    var result = await ScenarioRun.RunAsync(side, topic, variant.Acks, settingsForRun, cancellationToken).ConfigureAwait(false);
                    progress.WriteLine(
                        $"  produce {result.Produce.RecordsPerSecond:N0} rec/s, p50 {result.Produce.P50Ms:N2} ms, p99 {result.Produce.P99Ms:N2} ms; " +
                        $"consume {result.Consume.RecordsPerSecond:N0} rec/s; {result.Status}");
                    progress.WriteLine($"  this process: produce phase {result.ProduceProcess}; consume phase {result.ConsumeProcess}");
                    if (result.ServerProduceCpu is { } produceCpu && result.ServerConsumeCpu is { } consumeCpu)
                    {
                        progress.WriteLine($"  gateway process: CPU {produceCpu.TotalSeconds:N2} s producing, {consumeCpu.TotalSeconds:N2} s consuming");
                    }

                    runs.Add(new CompareRun(variant, result));
                }
            }
        }

        return await FinishAsync().ConfigureAwait(false);

        async Task<Outcome> FinishAsync()
        {
            var total = bench.Gateway.Cpu() - gatewayCpuStart;
            // Watched after the runs, not before: right after start-up the runtime is still compiling
            // methods in the background, which is no cost of serving.
            var idleStart = bench.Gateway.Cpu();
            await Task.Delay(IdleWatch, cancellationToken).ConfigureAwait(false);
            var idle = (bench.Gateway.Cpu() - idleStart).TotalMilliseconds / IdleWatch.TotalSeconds;
            return new(runs, total, idle, bench.Gateway.PeakWorkingSetBytes, loadBefore, LoadAverage.Read());
        }
    }
}
