using Xunit.Abstractions;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Faults;

/// <summary>The gateway is stopped and started again on the same ports while partners produce and consume:
/// the clients reconnect by themselves and nothing acknowledged is lost.</summary>
[Collection(FaultsCollection.Name)]
public sealed class GatewayRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Clients_reconnect_to_a_restarted_gateway_and_every_acknowledged_record_is_consumed()
    {
        await using var harness = await FaultHarness.StartAsync(nodes: 1);
        await using var workload = PartnerWorkload.Start(harness);
        Assert.True(await workload.WaitAsync(() => workload.Received >= 200, TimeSpan.FromSeconds(60)), "No steady traffic before the restart: " + workload.Describe());
        Assert.True(harness.Metrics.OpenConnections > 0);

        var restartedAt = workload.Produced;
        var receivedBefore = workload.Received;
        var stopTook = await harness.RestartGatewayAsync();
        output.WriteLine($"gateway stop took {stopTook}");

        // Open client connections end promptly when the gateway stops; they do not hold it up.
        Assert.True(stopTook < TimeSpan.FromSeconds(10), $"Stopping the gateway took {stopTook}.");
        Assert.True(await workload.WaitAsync(() => workload.AckedFrom(restartedAt) >= 500, Recovery), "The producer did not reconnect: " + workload.Describe());
        Assert.True(await workload.WaitAsync(() => workload.Received >= receivedBefore + 500, Recovery), "The consumer did not reconnect: " + workload.Describe());
        Assert.True(harness.Metrics.OpenConnections > 0, "No client connected to the new gateway.");

        await workload.StopProducingAsync(Recovery);
        Assert.True(
            await workload.WaitAsync(() => workload.AckedNotReceived().Count == 0, Recovery),
            $"Acknowledged but never consumed: {string.Join(", ", workload.AckedNotReceived().Take(20))}; {workload.Describe()}");
        Assert.Equal(0, workload.Failed);

        output.WriteLine(workload.Describe());
        var stored = harness.ReadBackingTopic(workload.Marker);
        Assert.All(workload.AckedValues, value => Assert.Equal(1, stored.GetValueOrDefault(value)));
        Assert.DoesNotContain(stored, s => s.Value > 1);
    }

    [Fact]
    public async Task A_stopping_gateway_does_not_wait_out_a_long_poll_and_comes_back_on_the_same_ports()
    {
        await using var harness = await FaultHarness.StartAsync(nodes: 1);
        await using var wire = await KafkaWireClient.ConnectAsync($"127.0.0.1:{harness.BootstrapPort}");
        await wire.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        await wire.WriteRequestAsync(new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 60_000,
            MinBytes = 1,
            MaxBytes = 1024 * 1024,
            Topics = [new FetchRequest.FetchTopic
            {
                Topic = FaultHarness.ReadAlias,
                Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1024 * 1024 }],
            }],
        }, 12);
        Assert.True(await harness.ConnectionsSettleAsync(1, 1, TimeSpan.FromSeconds(10)), "The fetch never reached the upstream.");

        var stopTook = await harness.RestartGatewayAsync();
        output.WriteLine($"gateway stop took {stopTook}");

        Assert.True(stopTook < TimeSpan.FromSeconds(10), $"Stopping the gateway took {stopTook}: it waited for the long poll.");
        Assert.True(await wire.ClosedWithinAsync(TimeSpan.FromSeconds(5)), "The old connection stayed open.");
        await using var again = await KafkaWireClient.ConnectAsync($"127.0.0.1:{harness.BootstrapPort}");
        await again.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var metadata = await again.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 12);
        Assert.Equal(["topic-a", "topic-b"], metadata.Topics.Select(t => t.Name).Order());
    }
}
