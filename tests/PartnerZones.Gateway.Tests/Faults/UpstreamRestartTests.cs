using Xunit.Abstractions;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>
/// An upstream broker restarts while partners produce and consume through the gateway: the gateway
/// closes the affected client connections, the clients reconnect by themselves, and nothing the producer
/// got acknowledged is lost or written twice.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class UpstreamRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Clients_recover_from_an_upstream_node_restart_and_every_acknowledged_record_is_consumed_and_stored_once()
    {
        await using var harness = await FaultHarness.StartAsync(nodes: 3);
        await using var workload = PartnerWorkload.Start(harness);
        Assert.True(await workload.WaitAsync(() => workload.Received >= 200, TimeSpan.FromSeconds(60)), "No steady traffic before the restart: " + workload.Describe());

        // The group's coordinator also leads a partition of the backing topic (three partitions on three
        // nodes), so its restart interrupts producing, fetching, heartbeats and commits at once.
        var node = await harness.CoordinatorOfAsync(workload.Group);
        var upstreamErrorsBefore = harness.Metrics.UpstreamErrors;
        var restartedAt = workload.Produced;
        await harness.Cluster.RestartNodeAsync(node, downtime: TimeSpan.FromSeconds(2));

        Assert.True(await workload.WaitAsync(() => workload.AckedFrom(restartedAt) >= 500, Recovery), "The producer did not recover: " + workload.Describe());
        await workload.StopProducingAsync(Recovery);
        Assert.True(
            await workload.WaitAsync(() => workload.AckedNotReceived().Count == 0, Recovery),
            $"Acknowledged but never consumed: {string.Join(", ", workload.AckedNotReceived().Take(20))}; {workload.Describe()}");

        // The gateway saw the restart: client connections were closed because their upstream went away.
        Assert.True(harness.Metrics.UpstreamErrors > upstreamErrorsBefore, "The gateway did not notice the restart.");
        Assert.Equal(0, workload.Failed);

        // With idempotence every acknowledged record is in the backing topic exactly once, and nothing twice.
        output.WriteLine(workload.Describe());
        var stored = harness.ReadBackingTopic(workload.Marker);
        Assert.All(workload.AckedValues, value => Assert.Equal(1, stored.GetValueOrDefault(value)));
        Assert.DoesNotContain(stored, s => s.Value > 1);
    }
}
