using System.Diagnostics;

namespace PartnerZones.LoadTest.Workload;

/// <summary>
/// Process-wide CPU time and GC activity across one phase. With an embedded target the cluster's work is
/// in here too, beside the clients' (librdkafka's threads count as CPU; Confluent.Kafka copies every
/// consumed value into a new array). CPU time per record varies far less than wall-clock rates when the
/// machine is shared, so it is the better figure to compare runs by.
/// </summary>
internal readonly record struct ProcessSnapshot(TimeSpan Cpu, long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    public static ProcessSnapshot Take()
    {
        using var process = Process.GetCurrentProcess();
        return new(process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: false),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    }

    public TimeSpan CpuSince(ProcessSnapshot before) => Cpu - before.Cpu;

    public string Since(ProcessSnapshot before) =>
        $"CPU {(Cpu - before.Cpu).TotalSeconds:N2} s, allocated {(AllocatedBytes - before.AllocatedBytes) / 1e6:N0} MB, " +
        $"GCs gen0/1/2 {Gen0 - before.Gen0}/{Gen1 - before.Gen1}/{Gen2 - before.Gen2}, paused {(Paused - before.Paused).TotalMilliseconds:N0} ms";
}
