using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using PartnerZones.Gateway.Tests.Security;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>
/// Upstream broker addresses never reach a client, on one node and on three, through every gateway
/// port, for partner and admin alike. Besides Metadata, FindCoordinator and DescribeCluster, this makes
/// the upstream answer with Produce and Fetch node endpoints (KIP-951), which a healthy session never
/// shows: a produce or fetch sent to a gateway port whose upstream node does not lead the partition gets
/// NOT_LEADER_OR_FOLLOWER with the leader's endpoint, and that endpoint must be the gateway's port for
/// the leader. Every response is also scanned byte by byte for an upstream host followed by its port.
/// </summary>
[Collection(VerificationCollection.Name)]
public sealed class AddressesOnEveryPortTests
{
    private const short NotLeaderOrFollower = 6;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task No_response_on_any_port_carries_an_upstream_address(int nodes)
    {
        await using var gateway = await TwoZoneGateway.StartAsync(nodes, autoCreateTopics: false, createBackingTopic: true);
        var brokers = gateway.Gateway.Runtime.Brokers;
        var upstream = gateway.Cluster.EndPoints;
        var nodeEndpointsSeen = 0;

        foreach (var (user, secret, topic) in new[] { ("johndoe", GatewayFixture.PartnerSecret, "topic-a"), ("admin", GatewayFixture.AdminSecret, GatewayFixture.BackingTopic) })
        {
            foreach (var port in brokers.NodeIds.Select(brokers.GatewayPort).Prepend(brokers.BootstrapPort))
            {
                var where = $"{user} on gateway port {port}";
                await using var client = await KafkaWireClient.ConnectAsync($"127.0.0.1:{port}", "address-scan");
                await client.LoginAsync(user, secret);
                var offer = (await client.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 3)).ApiKeys.ToDictionary(k => k.ApiKey, k => k.MaxVersion);

                var metadata = await ScanAsync<MetadataResponse>(client, new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = topic }] }, 12, where);
                Assert.Equal(nodes, metadata.Brokers.Count);
                Assert.All(metadata.Brokers, b => AssertGateway(b.NodeId, b.Host, b.Port, where));
                var described = Assert.Single(metadata.Topics);
                Assert.Equal(0, described.ErrorCode);

                var coordinators = await ScanAsync<FindCoordinatorResponse>(client, new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = ["scan-group"] }, 4, where);
                Assert.All(coordinators.Coordinators, c => AssertGateway(c.NodeId, c.Host, c.Port, where));
                var single = await ScanAsync<FindCoordinatorResponse>(client, new FindCoordinatorRequest { KeyType = 0, CoordinatorKey = "scan-group" }, 3, where);
                AssertGateway(single.NodeId, single.Host, single.Port, where);

                var cluster = await ScanAsync<DescribeClusterResponse>(client, new DescribeClusterRequest(), 1, where);
                Assert.Equal(nodes, cluster.Brokers.Count);
                Assert.All(cluster.Brokers, b => AssertGateway(b.BrokerId, b.Host, b.Port, where));

                if (nodes == 1 || brokers.NodeForPort(port) is not { } node)
                {
                    continue;
                }

                // A partition this port's node does not lead: the upstream answers with the leader's endpoint.
                var partition = described.Partitions.First(p => p.LeaderId != node);
                var produceVersion = Math.Min(offer[ProduceRequest.Key], (short)12);
                Assert.True(produceVersion >= 10, $"{where}: Produce v10+ (node endpoints) is not offered.");
                var produce = await ScanAsync<ProduceResponse>(client, new ProduceRequest
                {
                    Acks = -1,
                    TimeoutMs = 5000,
                    TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition.PartitionIndex, Records = OneRecord() }] }],
                }, produceVersion, where);
                Assert.Equal(NotLeaderOrFollower, Assert.Single(Assert.Single(produce.Responses).PartitionResponses).ErrorCode);
                Assert.NotEmpty(produce.NodeEndpoints);
                Assert.All(produce.NodeEndpoints, e => AssertGateway(e.NodeId, e.Host, e.Port, where + ", Produce node endpoint"));
                Assert.Contains(produce.NodeEndpoints, e => e.NodeId == partition.LeaderId);

                var fetchVersion = offer[FetchRequest.Key];
                Assert.True(fetchVersion >= 16, $"{where}: Fetch v16+ (node endpoints) is not offered.");
                var fetch = await ScanAsync<FetchResponse>(client, new FetchRequest
                {
                    MaxWaitMs = 0,
                    MinBytes = 1,
                    MaxBytes = 1024 * 1024,
                    Topics = [new FetchRequest.FetchTopic { TopicId = described.TopicId, Partitions = [new FetchRequest.FetchPartition { Partition = partition.PartitionIndex, PartitionMaxBytes = 1024 * 1024 }] }],
                }, fetchVersion, where);
                Assert.Equal(NotLeaderOrFollower, Assert.Single(Assert.Single(fetch.Responses).Partitions).ErrorCode);
                Assert.NotEmpty(fetch.NodeEndpoints);
                Assert.All(fetch.NodeEndpoints, e => AssertGateway(e.NodeId, e.Host, e.Port, where + ", Fetch node endpoint"));
                nodeEndpointsSeen += produce.NodeEndpoints.Count + fetch.NodeEndpoints.Count;
            }
        }

        // Three nodes: both principals, on each of the three broker ports, got Produce and Fetch endpoints.
        Assert.True(nodes == 1 || nodeEndpointsSeen >= 2 * 3 * 2, $"only {nodeEndpointsSeen} node endpoints were returned");

        // The partner's own Confluent.Kafka admin client: exactly the two aliases, the backing partitions, gateway brokers.
        using var admin = new AdminClientBuilder(gateway.Partner.Config<AdminClientConfig>()).Build();
        var listing = admin.GetMetadata(TimeSpan.FromSeconds(20));
        Assert.Equal(["topic-a", "topic-b"], listing.Topics.Select(t => t.Topic).Order(StringComparer.Ordinal));
        Assert.All(listing.Topics, t => Assert.Equal(GatewayFixture.BackingPartitions, t.Partitions.Count));
        Assert.Equal(nodes, listing.Brokers.Count);
        Assert.All(listing.Brokers, b => AssertGateway(b.BrokerId, b.Host, b.Port, "Confluent.Kafka metadata"));

        void AssertGateway(int nodeId, string host, int port, string where)
        {
            Assert.True(host == brokers.AdvertisedHost && port == brokers.GatewayPort(nodeId), $"{where}: node {nodeId} given as {host}:{port}, not the gateway's {brokers.AdvertisedHost}:{brokers.GatewayPort(nodeId)}.");
            Assert.DoesNotContain(port, upstream.Select(e => e.Port));
        }

        async Task<TResponse> ScanAsync<TResponse>(KafkaWireClient client, IKafkaRequest request, short version, string where)
            where TResponse : IKafkaResponse
        {
            var exchange = await client.ExchangeAsync(request, version);
            foreach (var endPoint in upstream)
            {
                var text = Encoding.UTF8.GetBytes($"{endPoint.Address}:{endPoint.Port}");
                var hostThenPort = Encoding.UTF8.GetBytes(endPoint.Address.ToString()).Concat(BigEndian(endPoint.Port)).ToArray();
                Assert.True(exchange.Response.AsSpan().IndexOf(text) < 0 && exchange.Response.AsSpan().IndexOf(hostThenPort) < 0, $"{where}: {KafkaWireClient.Describe(request.ApiKey, version)} response carries upstream {endPoint}.");
            }

            return (TResponse)exchange.Decoded;
        }
    }

    private static byte[] BigEndian(int port)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, port);
        return bytes;
    }

    private static byte[] OneRecord()
    {
        var batch = new Protocol.Records.RecordBatch
        {
            BaseTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Records = [new Protocol.Records.Record { Key = "k"u8.ToArray(), Value = "sent to a follower"u8.ToArray() }],
        };
        batch.UpdateSummaryFields();
        return batch.ToArray();
    }
}
