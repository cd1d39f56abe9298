namespace PartnerZones.LoadTest.Workload;

/// <summary>What one consume phase achieved. Throughput counts distinct records over the time from the
/// first record to the last new one.</summary>
public sealed record ConsumeFigures
{
    /// <summary>Distinct records read (each stamped index once).</summary>
    public required int Consumed { get; init; }

    /// <summary>Records the producer saw acknowledged that never arrived (only when the time ran out).</summary>
    public required int MissingDelivered { get; init; }

    /// <summary>Records read more than once; a producer without idempotence may write a retried batch twice.</summary>
    public required int Duplicates { get; init; }

    /// <summary>Values of the wrong size, with inconsistent stamps, or from no record this run sent.</summary>
    public required int Corrupt { get; init; }

    public required bool HitTimeLimit { get; init; }

    public required double Seconds { get; init; }

    /// <summary>From the assignment to the first record: connecting, metadata and offset lookups.</summary>
    public required double FirstRecordMs { get; init; }

    public required long ValueBytes { get; init; }

    public double RecordsPerSecond => Seconds > 0 ? Consumed / Seconds : 0;

    public double MegabytesPerSecond => Seconds > 0 ? ValueBytes / 1e6 / Seconds : 0;
}
