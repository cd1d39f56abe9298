using Confluent.Kafka;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>What one gateway comparison does: bounded in records and time per phase, a few repetitions.</summary>
internal sealed record GatewayCompareSettings
{
    public required LoadSettings Load { get; init; }

    public int Nodes { get; init; } = 1;

    /// <summary>The producer's rate for the latency workloads; 0 runs none.</summary>
    public int LatencyRate { get; init; } = 5_000;

    /// <summary>Seconds of records at <see cref="LatencyRate"/> per latency workload.</summary>
    public int LatencySeconds { get; init; } = 10;

    /// <summary>Environment variables of the gateway process (e.g. DOTNET_ settings to compare).</summary>
    public IReadOnlyDictionary<string, string> GatewayEnvironment { get; init; } = new Dictionary<string, string>();

    public bool Quick { get; init; }

    /// <summary>Whether the zone has header rules (added on produce, removed on consume), so every batch is re-encoded.</summary>
    public bool HeaderRules { get; init; }

    public IReadOnlyList<CompareVariant> Variants
    {
        get
        {
            var variants = new List<CompareVariant> { new(Acks.Leader, 0, Load.Records), new(Acks.All, 0, Load.Records) };
            if (LatencyRate > 0)
            {
                var records = (int)Math.Min(Load.Records, (long)LatencyRate * LatencySeconds);
                variants.Add(new(Acks.Leader, LatencyRate, records));
                variants.Add(new(Acks.All, LatencyRate, records));
            }

            return variants;
        }
    }
}
