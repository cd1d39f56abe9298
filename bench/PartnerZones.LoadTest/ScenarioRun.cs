using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;
using PartnerZones.LoadTest.Workload;

namespace PartnerZones.LoadTest;

/// <summary>One scenario: a topic from the target, the produce phase, the consume phase, the topic released;
/// this process's CPU (and the serving process's, when it runs apart) around each phase.</summary>
internal static class ScenarioRun
{
    public static async Task<ScenarioResult> RunAsync(OpenTarget target, string topicName, Acks acks, LoadSettings settings, CancellationToken cancellationToken)
    {
        var topic = await target.Topics.PrepareAsync(topicName, settings.Partitions).ConfigureAwait(false);
        try
        {
            // The clients block; keep them off the thread pool the embedded cluster serves requests on.
            var serverBefore = target.ServerCpu?.Invoke();
            var before = ProcessSnapshot.Take();
            var produce = await RunBlocking(() => ProducePhase.Run(target, topic.Name, acks, settings, cancellationToken)).ConfigureAwait(false);
            var serverBetween = target.ServerCpu?.Invoke();
            var between = ProcessSnapshot.Take();
            var consume = await RunBlocking(() => ConsumePhase.Run(target, topic, settings, produce, cancellationToken)).ConfigureAwait(false);
            var serverAfter = target.ServerCpu?.Invoke();
            var after = ProcessSnapshot.Take();
            return new ScenarioResult(target.Spec, acks, topic.Replication, produce, consume)
            {
                Rate = settings.Rate,
                ProduceProcess = between.Since(before),
                ConsumeProcess = after.Since(between),
                ProduceCpu = between.CpuSince(before),
                ConsumeCpu = after.CpuSince(between),
                ServerProduceCpu = serverBetween - serverBefore,
                ServerConsumeCpu = serverAfter - serverBetween,
            };
        }
        finally
        {
            await topic.ReleaseAsync().ConfigureAwait(false);
        }
    }

    private static Task<T> RunBlocking<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
