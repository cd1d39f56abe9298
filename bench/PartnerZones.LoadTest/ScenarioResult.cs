using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;
using PartnerZones.LoadTest.Workload;

namespace PartnerZones.LoadTest;

/// <summary>One workload run against one target with one acks setting.</summary>
public sealed record ScenarioResult(TargetSpec Target, Acks Acks, short Replication, ProduceFigures Produce, ConsumeFigures Consume)
{
    /// <summary>CPU and GC activity of this process during each phase, for the progress log.</summary>
    public string ProduceProcess { get; init; } = "";

    public string ConsumeProcess { get; init; } = "";

    /// <summary>CPU time of this process (clients, and the cluster when embedded) per phase.</summary>
    public TimeSpan ProduceCpu { get; init; }

    public TimeSpan ConsumeCpu { get; init; }

    /// <summary>The producer's rate limit in records/s; 0 unthrottled.</summary>
    public int Rate { get; init; }

    /// <summary>CPU time of the serving process per phase when it runs apart from this one (a gateway this
    /// run started); null otherwise.</summary>
    public TimeSpan? ServerProduceCpu { get; init; }

    public TimeSpan? ServerConsumeCpu { get; init; }

    /// <summary>CPU microseconds per record delivered or consumed; NaN when none were.</summary>
    public double ProduceCpuMicrosPerRecord => Produce.Delivered > 0 ? ProduceCpu.TotalMicroseconds / Produce.Delivered : double.NaN;

    public double ConsumeCpuMicrosPerRecord => Consume.Consumed > 0 ? ConsumeCpu.TotalMicroseconds / Consume.Consumed : double.NaN;

    /// <summary>Records lost, mangled or refused: the figures are not worth reporting.</summary>
    public bool Failed => Consume.Corrupt > 0 || Produce.Failed > 0 || (Consume.MissingDelivered > 0 && !Consume.HitTimeLimit);

    /// <summary>A phase stopped at its time limit: the rates hold for the part that ran.</summary>
    public bool Partial => Produce.HitTimeLimit || Consume.HitTimeLimit;

    public string Status
    {
        get
        {
            var notes = new List<string>();
            if (Produce.Failed > 0)
            {
                notes.Add($"{Produce.Failed} not delivered ({Produce.FirstError})");
            }

            if (Consume.Corrupt > 0)
            {
                notes.Add($"{Consume.Corrupt} corrupt values");
            }

            if (Produce.HitTimeLimit)
            {
                notes.Add($"produce stopped at the time limit after {Produce.Attempted} records");
            }

            if (Consume.HitTimeLimit)
            {
                notes.Add($"consume stopped at the time limit, {Consume.MissingDelivered} delivered records not read");
            }

            if (Consume.Duplicates > 0)
            {
                notes.Add($"{Consume.Duplicates} duplicates");
            }

            var verdict = Failed ? "FAILED" : Partial ? "partial" : "ok";
            return notes.Count == 0 ? verdict : $"{verdict}: {string.Join("; ", notes)}";
        }
    }
}
