using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;
using PartnerZones.LoadTest.Workload;

namespace PartnerZones.LoadTest;

/// <summary>
/// Opens every target, warms each up, then runs the workload once per (acks, target), interleaving the
/// targets so a change in machine load during the run hits both sides of a comparison alike.
/// Each scenario writes a fresh topic and deletes it afterwards.
/// </summary>
internal static class LoadRunner
{
    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(LoadSettings settings, TextWriter progress, CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var open = new List<OpenTarget>();
        try
        {
            foreach (var spec in settings.Targets)
            {
                var target = await spec.OpenAsync(message => progress.WriteLine($"  {message}")).ConfigureAwait(false);
                open.Add(target);
                progress.WriteLine($"{spec.Text}: bootstrap {target.BootstrapServers}");
            }

            for (var t = 0; t < open.Count && settings.WarmupRecords > 0; t++)
            {
                var warmup = settings with { Records = settings.WarmupRecords };
                var result = await RunScenarioAsync(open[t], $"{settings.TopicPrefix}-{runId}-warmup-{t}", Acks.Leader, warmup, cancellationToken).ConfigureAwait(false);
                progress.WriteLine($"{open[t].Spec.Text}: warm-up of {settings.WarmupRecords} records {result.Status}");
                if (result.Failed)
                {
                    // A target that loses records while warming up will not give figures worth waiting for.
                    return [result];
                }
            }

            var results = new List<ScenarioResult>();
            foreach (var acks in settings.Acks)
            {
                for (var t = 0; t < open.Count; t++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var topic = $"{settings.TopicPrefix}-{runId}-{t}-acks{AcksText.Format(acks)}";
                    progress.WriteLine($"{open[t].Spec.Text} acks={AcksText.Format(acks)}: {settings.Records} records of {settings.RecordSize} B to {topic}");
                    var result = await RunScenarioAsync(open[t], topic, acks, settings, cancellationToken).ConfigureAwait(false);
                    progress.WriteLine(
                        $"  produce {result.Produce.RecordsPerSecond:N0} rec/s in {result.Produce.Seconds:N1} s; consume {result.Consume.RecordsPerSecond:N0} rec/s " +
                        $"in {result.Consume.Seconds:N1} s after {result.Consume.FirstRecordMs:N0} ms to the first record; {result.Status}");
                    results.Add(result);
                }
            }

            return results;
        }
        finally
        {
            foreach (var target in open)
            {
                await target.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<ScenarioResult> RunScenarioAsync(OpenTarget target, string topic, Acks acks, LoadSettings settings, CancellationToken cancellationToken)
    {
        var bootstrap = target.BootstrapServers;
        var replication = await TopicAdmin.CreateAsync(bootstrap, topic, settings.Partitions).ConfigureAwait(false);
        try
        {
            // The clients block; keep them off the thread pool the embedded cluster serves requests on.
            var produce = await RunBlocking(() => ProducePhase.Run(bootstrap, topic, acks, settings, cancellationToken)).ConfigureAwait(false);
            var consume = await RunBlocking(() => ConsumePhase.Run(bootstrap, topic, settings, produce, cancellationToken)).ConfigureAwait(false);
            return new ScenarioResult(target.Spec, acks, replication, produce, consume);
        }
        finally
        {
            await TopicAdmin.DeleteAsync(bootstrap, topic).ConfigureAwait(false);
        }
    }

    private static Task<T> RunBlocking<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
