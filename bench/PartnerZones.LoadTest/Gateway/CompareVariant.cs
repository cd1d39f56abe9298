using System.Globalization;
using Confluent.Kafka;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>One workload of the gateway comparison, run on both sides: unthrottled for throughput, or held to
/// a rate for latency (an unthrottled producer's latency is mostly its own queue).</summary>
internal sealed record CompareVariant(Acks Acks, int Rate, int Records)
{
    public string Name => Rate == 0
        ? $"produce acks={AcksText.Format(Acks)}"
        : $"produce acks={AcksText.Format(Acks)} at {Rate.ToString("N0", CultureInfo.InvariantCulture)} rec/s";

    public bool Throttled => Rate > 0;
}
