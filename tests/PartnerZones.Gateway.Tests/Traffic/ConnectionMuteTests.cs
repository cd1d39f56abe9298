using System.Diagnostics;
using PartnerZones.Gateway.Tests.Clients;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Traffic;

/// <summary>A client that ignores throttle times is held back all the same: after a throttled answer the
/// gateway reads nothing more from the connection until the throttle time has passed, and then serves it
/// as usual, without an error and without closing it.</summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class ConnectionMuteTests
{
    [Fact]
    public async Task The_next_request_of_a_throttled_connection_waits_out_the_throttle_time()
    {
        await using var gateway = await GatewayFixture.StartAsync(1, GatewayFixture.ExampleZoneWith("  trafficControlPolicies:\n    maxProduceRate: 10000"));
        await using var client = await KafkaWireClient.ConnectAsync(gateway.Gateway.BootstrapServers);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);

        // About 36 KB against 10 KB/s over the one-second minimum window: a throttle time of seconds.
        var first = await client.SendAsync<PartnerZones.Protocol.Messages.ProduceResponse>(Request(TestRecordBatches.Values("mute", 2000)), 9);
        Assert.Equal(0, first.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.InRange(first.ThrottleTimeMs, 1000, 10_000);

        var clock = Stopwatch.StartNew();
        var second = await client.SendAsync<PartnerZones.Protocol.Messages.ProduceResponse>(Request(TestRecordBatches.Values("after", 10)), 9);
        Assert.Equal(0, second.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.True(clock.ElapsedMilliseconds >= first.ThrottleTimeMs - 250, $"answered after {clock.ElapsedMilliseconds} ms of a {first.ThrottleTimeMs} ms throttle");
        Assert.True(await client.StaysOpenAsync(TimeSpan.FromMilliseconds(300)));
    }

    private static PartnerZones.Protocol.Messages.ProduceRequest Request(byte[] batch) => new()
    {
        Acks = -1,
        TimeoutMs = 10_000,
        TopicData = [new() { Name = ZoneExpectations.WriteAlias, PartitionData = [new() { Index = 0, Records = batch }] }],
    };
}
