namespace PartnerZones.LoadTest.Workload;

/// <summary>What one produce phase achieved. Throughput counts delivered records over the time from the
/// first send to the last delivery report; latency is send to delivery report, per record.</summary>
public sealed record ProduceFigures
{
    public required int Attempted { get; init; }

    public required int Delivered { get; init; }

    /// <summary>Delivery reports with an error (including records that timed out in the client).</summary>
    public required int Failed { get; init; }

    public string? FirstError { get; init; }

    /// <summary>The send loop stopped at the phase's time limit before sending every record.</summary>
    public required bool HitTimeLimit { get; init; }

    public required double Seconds { get; init; }

    public required long ValueBytes { get; init; }

    public required double P50Ms { get; init; }

    public required double P99Ms { get; init; }

    /// <summary>Which record indexes were delivered, for the consumer to check off.</summary>
    public required bool[] DeliveredIndexes { get; init; }

    public double RecordsPerSecond => Seconds > 0 ? Delivered / Seconds : 0;

    public double MegabytesPerSecond => Seconds > 0 ? ValueBytes / 1e6 / Seconds : 0;
}
