namespace PartnerZones.LoadTest.Targets;

/// <summary>A target ready for clients. Disposing stops what this run started for it (an embedded cluster,
/// a gateway process).</summary>
public sealed class OpenTarget : IAsyncDisposable
{
    public required TargetSpec Spec { get; init; }

    public required string BootstrapServers { get; init; }

    /// <summary>Login and other settings of every client of this target.</summary>
    public ClientProperties Client { get; init; } = ClientProperties.None;

    public required ITopicSource Topics { get; init; }

    /// <summary>CPU time so far of the process serving this target when it runs apart from this one (a
    /// gateway started by this run); null when it cannot be told apart.</summary>
    public Func<TimeSpan>? ServerCpu { get; init; }

    /// <summary>Stopped when the target is disposed.</summary>
    public IAsyncDisposable? Owned { get; init; }

    public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
