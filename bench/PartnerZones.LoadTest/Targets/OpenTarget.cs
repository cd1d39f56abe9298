using PartnerZones.EmbeddedKafka;

namespace PartnerZones.LoadTest.Targets;

/// <summary>A target ready for clients; disposing stops the embedded cluster when this run started one.</summary>
public sealed class OpenTarget(TargetSpec spec, string bootstrapServers, EmbeddedCluster? cluster) : IAsyncDisposable
{
    public TargetSpec Spec { get; } = spec;

    public string BootstrapServers { get; } = bootstrapServers;

    public ValueTask DisposeAsync() => cluster?.DisposeAsync() ?? ValueTask.CompletedTask;
}
