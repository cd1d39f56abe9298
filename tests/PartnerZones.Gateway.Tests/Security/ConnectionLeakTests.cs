using System.Diagnostics;
using System.Net;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>
/// Clients that vanish in the middle of something — half a size prefix, half a frame, a login in its
/// failure delay, a request whose answer is still upstream (a long-poll fetch, a group join) — with a
/// FIN or a reset. The gateway must let go of every one of them promptly: its open-connection count
/// returns to where it started within seconds, whatever the clients left in flight.
/// </summary>
public sealed class ConnectionLeakTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private IPEndPoint Bootstrap => IPEndPoint.Parse(fixture.Gateway.BootstrapServers);

    [Fact]
    public async Task Clients_that_disconnect_mid_request_leave_no_connection_open()
    {
        var metrics = fixture.Gateway.Runtime.Metrics;
        var start = metrics.OpenConnections;
        var apiVersions = new ApiVersionsRequest { ClientSoftwareName = "t", ClientSoftwareVersion = "1" };
        var metadata = new MetadataRequest { Topics = null };
        var endOffset = await EndOffsetOfTopicBAsync();
        await JoinFirstMemberAsync();
        await EventuallyAsync(() => metrics.OpenConnections == start, () => "the set-up connections did not close");

        (string What, Func<KafkaWireClient, Task> Misbehave)[] kinds =
        [
            ("half a size prefix", c => c.WriteAsync(c.Frame(apiVersions, 3, c.NextCorrelationId())[..2])),
            ("half an ApiVersions frame", c => c.WriteAsync(Half(c.Frame(apiVersions, 3, c.NextCorrelationId())))),
            ("a whole ApiVersions request, answer unread", c => c.WriteAsync(c.Frame(apiVersions, 3, c.NextCorrelationId()))),
            ("a wrong password, in the failure delay", async c =>
            {
                Assert.Equal(0, (await c.SendAsync<SaslHandshakeResponse>(new SaslHandshakeRequest { Mechanism = "PLAIN" }, 1)).ErrorCode);
                await c.WriteAsync(c.Frame(new SaslAuthenticateRequest { AuthBytes = KafkaWireClient.PlainToken("", "johndoe", "wrong") }, 2, c.NextCorrelationId()));
            }),
            ("half a Metadata frame after login", async c =>
            {
                await c.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
                await c.WriteAsync(c.Frame(metadata, 12, c.NextCorrelationId())[..^3]);
            }),
            ("a Metadata request after login, answer unread", async c =>
            {
                await c.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
                await c.WriteAsync(c.Frame(metadata, 12, c.NextCorrelationId()));
            }),
            ("a fetch that long-polls upstream for 30 s", async c =>
            {
                await c.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
                await c.WriteAsync(c.Frame(LongPoll(endOffset), 12, c.NextCorrelationId()));
            }),
            ("a group join waiting for its rebalance", async c =>
            {
                await c.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
                await c.WriteAsync(c.Frame(Join(), 3, c.NextCorrelationId()));
            }),
        ];

        var clients = new List<(KafkaWireClient Client, bool Reset, string What)>();
        try
        {
            foreach (var reset in new[] { false, true })
            {
                foreach (var (what, misbehave) in kinds)
                {
                    var client = await KafkaWireClient.ConnectAsync(Bootstrap);
                    clients.Add((client, reset, what));
                    await misbehave(client);
                }
            }

            // Every connection is counted while open, so the count coming back down below means something.
            // (The failed logins may already be closed by the gateway itself once their delay is over.)
            var open = start + clients.Count(c => !c.What.StartsWith("a wrong password", StringComparison.Ordinal));
            await EventuallyAsync(() => metrics.OpenConnections >= open, () => $"{metrics.OpenConnections} open, expected at least {open}");
        }
        finally
        {
            foreach (var (client, reset, _) in clients)
            {
                if (reset)
                {
                    client.Reset();
                }

                await client.DisposeAsync();
            }
        }

        await EventuallyAsync(() => metrics.OpenConnections == start, () => $"{metrics.OpenConnections - start} connection(s) still open {Prompt.TotalSeconds} s after their clients left");
    }

    private static async Task EventuallyAsync(Func<bool> condition, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < Prompt)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), failure());
    }

    private async Task<long> EndOffsetOfTopicBAsync()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var listed = await client.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new ListOffsetsRequest.ListOffsetsTopic { Name = "topic-b", Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = -1 }] }],
        }, 7);
        var partition = Assert.Single(Assert.Single(listed.Topics).Partitions);
        Assert.Equal(0, partition.ErrorCode);
        return partition.Offset;
    }

    /// <summary>A member that joins and syncs, then goes quiet: the next join waits for it to rejoin.</summary>
    private async Task JoinFirstMemberAsync()
    {
        await using var client = await KafkaWireClient.ConnectAsync(Bootstrap);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        var joined = await client.SendAsync<JoinGroupResponse>(Join(), 3);
        Assert.Equal(0, joined.ErrorCode);
        var synced = await client.SendAsync<SyncGroupResponse>(new SyncGroupRequest { GroupId = "leak-test-group", GenerationId = joined.GenerationId, MemberId = joined.MemberId }, 3);
        Assert.Equal(0, synced.ErrorCode);
    }

    /// <summary>A fetch at the end of the log that asks the upstream to wait up to 30 s for one byte.</summary>
    private static FetchRequest LongPoll(long offset) => new()
    {
        ReplicaId = -1,
        MaxWaitMs = 30_000,
        MinBytes = 1,
        MaxBytes = 1024 * 1024,
        Topics = [new FetchRequest.FetchTopic { Topic = "topic-b", Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = offset, PartitionMaxBytes = 1024 * 1024 }] }],
    };

    /// <summary>A second member joining a group whose first member never rejoins: the join waits upstream.</summary>
    private static JoinGroupRequest Join() => new()
    {
        GroupId = "leak-test-group",
        SessionTimeoutMs = 30_000,
        RebalanceTimeoutMs = 30_000,
        MemberId = "",
        ProtocolType = "consumer",
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = BackingClusterState.Subscription("topic-b") }],
    };

    private static byte[] Half(byte[] frame) => frame[..(frame.Length / 2)];
}
