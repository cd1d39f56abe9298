namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// When a cluster with a data directory forces written data to stable storage (fsync). Every append is
/// written to the operating system at once, whatever the policy, so a killed process loses nothing it
/// appended; the policy decides what survives a power cut or an operating-system crash.
/// </summary>
public enum FlushPolicy
{
    /// <summary>Fsync before a produce request with acks=-1 (all) is answered; everything else (acks=0/1,
    /// committed offsets) is fsynced by the <see cref="ClusterOptions.FlushIntervalMs"/> timer.</summary>
    BeforeAcksAll,

    /// <summary>Fsync after every appended batch and every committed offset: the safest and slowest.</summary>
    EveryAppend,

    /// <summary>Fsync only on the <see cref="ClusterOptions.FlushIntervalMs"/> timer, when a segment rolls and on shutdown.</summary>
    Interval,
}
