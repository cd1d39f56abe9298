using Confluent.Kafka;
using PartnerZones.LoadTest.Targets;
using PartnerZones.LoadTest.Workload;

namespace PartnerZones.LoadTest;

/// <summary>One workload run against one target with one acks setting.</summary>
public sealed record ScenarioResult(TargetSpec Target, Acks Acks, short Replication, ProduceFigures Produce, ConsumeFigures Consume)
{
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
