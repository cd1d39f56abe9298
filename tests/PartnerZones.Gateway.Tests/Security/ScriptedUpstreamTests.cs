using PartnerZones.Testing;
using System.Net;
using System.Text;
using PartnerZones.Gateway.Configuration;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>The example zone's gateway in front of <see cref="ScriptedUpstream"/>.</summary>
public sealed class ScriptedGatewayFixture : IAsyncLifetime
{
    internal ScriptedUpstream Upstream { get; } = new("kafka-topic-a", Guid.NewGuid());

    public GatewayHost Gateway { get; private set; } = null!;

    internal IPEndPoint Bootstrap => IPEndPoint.Parse(Gateway.BootstrapServers);

    public async Task InitializeAsync()
    {
        var zone = Assert.Single(PartnerZoneReader.ReadAll(GatewayFixture.ExampleZone, "example"));
        var state = new GatewayState(
            [zone],
            [new ServiceAccount { Metadata = new ResourceMetadata { Name = "johndoe" }, Spec = new ServiceAccountSpec { Type = "PARTNER" } }],
            [new PartnerZones.Gateway.Configuration.Credential { Metadata = new ResourceMetadata { Name = "johndoe-1" }, Spec = new CredentialSpec { ServiceAccount = "johndoe", SecretHash = SecretHash.Hash(GatewayFixture.PartnerSecret) } }]);
        StateCluster = await PartnerZones.EmbeddedKafka.EmbeddedCluster.StartAsync(new PartnerZones.EmbeddedKafka.ClusterOptions());
        var basePort = LoopbackPorts.FreeRange(2);
        Gateway = await GatewayHost.StartAsync(new GatewayConfig
        {
            Spec = new GatewaySpec
            {
                Upstream = new UpstreamConfig { BootstrapServers = $"{Upstream.EndPoint}" },
                Listener = new ListenerConfig { Host = "127.0.0.1", BootstrapPort = basePort, BrokerPortBase = basePort + 1 },
                // The scripted broker speaks only the data path; the gateway's state lives in a real cluster.
                State = new StateConfig { Cluster = new UpstreamConfig { BootstrapServers = StateCluster!.BootstrapServers } },
            },
        }, state);
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
        if (StateCluster is not null)
        {
            await StateCluster.DisposeAsync();
        }
    }

    private PartnerZones.EmbeddedKafka.EmbeddedCluster? StateCluster { get; set; }
}

/// <summary>
/// Upstream text that names upstream things — error messages that quote the backing topic-partition or
/// the namespaced group id, and the gateway's own cluster rights — must reach the partner in the
/// partner's terms or not at all.
/// </summary>
public sealed class ScriptedUpstreamTests(ScriptedGatewayFixture fixture) : IClassFixture<ScriptedGatewayFixture>
{
    private static readonly byte[] BackingName = Encoding.UTF8.GetBytes("kafka-topic-a");
    private static readonly byte[] ZonePrefix = Encoding.UTF8.GetBytes(BackingClusterState.ZonePrefix);

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(12)]
    public async Task Produce_error_messages_name_the_alias_not_the_backing_topic(short version)
    {
        await using var client = await PartnerAsync();
        var exchange = await client.SendAsync(new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 5000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = "topic-a", PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = Array.Empty<byte>() }] }],
        }, version);

        var partition = Assert.Single(Assert.Single(((ProduceResponse)exchange.Decoded).Responses).PartitionResponses);
        Assert.Equal(87, partition.ErrorCode);
        Assert.Equal(ScriptedUpstream.CompactedTopicMessage("topic-a", 0), Assert.Single(partition.RecordErrors).BatchIndexErrorMessage);
        Assert.Contains(ScriptedUpstream.CompactedTopicMessage("topic-a", 0), partition.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, LeakScanner.Count(exchange.Response, BackingName));
    }

    [Fact]
    public async Task DescribeGroups_error_messages_do_not_carry_the_zone_prefix()
    {
        await using var client = await PartnerAsync();
        var exchange = await client.SendAsync(new DescribeGroupsRequest { Groups = ["my-group"] }, 6);

        var group = Assert.Single(((DescribeGroupsResponse)exchange.Decoded).Groups);
        Assert.Equal("my-group", group.GroupId);
        Assert.Equal(69, group.ErrorCode);
        Assert.Equal("Group my-group not found.", group.ErrorMessage);
        Assert.Equal(0, LeakScanner.Count(exchange.Response, ZonePrefix));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task DescribeCluster_does_not_report_the_gateways_own_cluster_rights(short version)
    {
        await using var client = await PartnerAsync();
        var response = await client.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest { IncludeClusterAuthorizedOperations = true }, version);

        Assert.Equal(0, response.ErrorCode);
        Assert.Equal(fixture.Gateway.Runtime.ClusterId, response.ClusterId);
        Assert.Equal(int.MinValue, response.ClusterAuthorizedOperations);
    }

    [Fact]
    public async Task The_scripted_upstream_does_report_them_to_a_direct_client()
    {
        // The control for the test above: the rights are there to leak.
        await using var direct = await RawKafkaClient.ConnectAsync(fixture.Upstream.EndPoint);
        var response = await direct.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest { IncludeClusterAuthorizedOperations = true }, 1);
        Assert.Equal(ScriptedUpstream.AllClusterOperations, response.ClusterAuthorizedOperations);
    }

    private async Task<RawKafkaClient> PartnerAsync()
    {
        var client = await RawKafkaClient.ConnectAsync(fixture.Bootstrap);
        await client.LoginAsync("johndoe", GatewayFixture.PartnerSecret);
        return client;
    }
}
