using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;

namespace PartnerZones.LoadTest;

/// <summary>
/// Opens every target, warms each up, then runs the workload <see cref="LoadSettings.Repeat"/> times per
/// (acks, target), interleaving targets and repetitions so a change in machine load during the run hits
/// both sides of a comparison alike.
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
                // With --compare, the login and the existing topic belong to the second target (the gateway), not
                // to the cluster behind it, which gets a fresh topic per run.
                var behind = settings.Compare && open.Count == 0;
                var target = await spec.OpenAsync(behind ? ClientProperties.None : settings.Client, behind ? null : settings.ExistingTopic, message => progress.WriteLine($"  {message}")).ConfigureAwait(false);
                open.Add(target);
                progress.WriteLine($"{spec.Text}: bootstrap {target.BootstrapServers}");
            }

            for (var t = 0; t < open.Count && settings.WarmupRecords > 0; t++)
            {
                var warmup = settings with { Records = settings.WarmupRecords };
                var result = await ScenarioRun.RunAsync(open[t], $"{settings.TopicPrefix}-{runId}-warmup-{t}", Acks.Leader, warmup, cancellationToken).ConfigureAwait(false);
                progress.WriteLine($"{open[t].Spec.Text}: warm-up of {settings.WarmupRecords} records {result.Status}");
                if (result.Failed)
                {
                    // A target that loses records while warming up will not give figures worth waiting for.
                    return [result];
                }
            }

            var results = new List<ScenarioResult>();
            for (var repetition = 1; repetition <= settings.Repeat; repetition++)
            {
                foreach (var acks in settings.Acks)
                {
                    for (var t = 0; t < open.Count; t++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var topic = $"{settings.TopicPrefix}-{runId}-{t}-acks{AcksText.Format(acks)}-{repetition}";
                        progress.WriteLine($"{open[t].Spec.Text} acks={AcksText.Format(acks)} run {repetition}/{settings.Repeat}: {settings.Records} records of {settings.RecordSize} B to {topic}");
                        var result = await ScenarioRun.RunAsync(open[t], topic, acks, settings, cancellationToken).ConfigureAwait(false);
                        progress.WriteLine(
                            $"  produce {result.Produce.RecordsPerSecond:N0} rec/s in {result.Produce.Seconds:N1} s; consume {result.Consume.RecordsPerSecond:N0} rec/s " +
                            $"in {result.Consume.Seconds:N1} s after {result.Consume.FirstRecordMs:N0} ms to the first record; {result.Status}");
                        progress.WriteLine($"  this process: produce phase {result.ProduceProcess}; consume phase {result.ConsumeProcess}");
                        results.Add(result);
                    }
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
}
