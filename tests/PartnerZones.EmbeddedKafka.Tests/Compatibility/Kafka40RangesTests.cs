using PartnerZones.Testing.KafkaWire;
using PartnerZones.EmbeddedKafka.Handlers;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// With <see cref="KafkaApiGeneration.Kafka40"/> the cluster offers and accepts only what Apache Kafka 4.0.0
/// does at the low end (KIP-896): ApiVersions lists 4.0's lowest versions, and a request below them closes
/// the connection, as Kafka closes it for any version it does not serve.
/// </summary>
public sealed class Kafka40RangesTests
{
    /// <summary>
    /// Kafka 4.0.0's lowest version per API (from the 4.0.0 request definitions): what ApiVersions lists,
    /// and what a request must at least be. They differ only for Produce, which 4.0 lists from v0 but serves
    /// from v3 (KAFKA-18659).
    /// </summary>
    private static readonly Dictionary<short, (short Advertised, short Accepted)> Kafka40 = new()
    {
        [ProduceRequest.Key] = (0, 3),
        [FetchRequest.Key] = (4, 4),
        [ListOffsetsRequest.Key] = (1, 1),
        [MetadataRequest.Key] = (0, 0),
        [OffsetCommitRequest.Key] = (2, 2),
        [OffsetFetchRequest.Key] = (1, 1),
        [FindCoordinatorRequest.Key] = (0, 0),
        [JoinGroupRequest.Key] = (2, 2),
        [HeartbeatRequest.Key] = (0, 0),
        [LeaveGroupRequest.Key] = (0, 0),
        [SyncGroupRequest.Key] = (0, 0),
        [DescribeGroupsRequest.Key] = (0, 0),
        [ListGroupsRequest.Key] = (0, 0),
        [SaslHandshakeRequest.Key] = (0, 0),
        [ApiVersionsRequest.Key] = (0, 0),
        [CreateTopicsRequest.Key] = (2, 2),
        [DeleteTopicsRequest.Key] = (1, 1),
        [DeleteRecordsRequest.Key] = (0, 0),
        [InitProducerIdRequest.Key] = (0, 0),
        [OffsetForLeaderEpochRequest.Key] = (2, 2),
        [AddPartitionsToTxnRequest.Key] = (0, 0),
        [AddOffsetsToTxnRequest.Key] = (0, 0),
        [EndTxnRequest.Key] = (0, 0),
        [TxnOffsetCommitRequest.Key] = (0, 0),
        [DescribeAclsRequest.Key] = (1, 1),
        [CreateAclsRequest.Key] = (1, 1),
        [DeleteAclsRequest.Key] = (1, 1),
        [DescribeConfigsRequest.Key] = (1, 1),
        [AlterConfigsRequest.Key] = (0, 0),
        [SaslAuthenticateRequest.Key] = (0, 0),
        [CreatePartitionsRequest.Key] = (0, 0),
        [DeleteGroupsRequest.Key] = (0, 0),
        [IncrementalAlterConfigsRequest.Key] = (0, 0),
        [OffsetDeleteRequest.Key] = (0, 0),
        [DescribeClusterRequest.Key] = (0, 0),
        [DescribeProducersRequest.Key] = (0, 0),
        [DescribeTransactionsRequest.Key] = (0, 0),
        [ListTransactionsRequest.Key] = (0, 0),
        [ConsumerGroupHeartbeatRequest.Key] = (0, 0),
        [ConsumerGroupDescribeRequest.Key] = (0, 0),
        [DescribeTopicPartitionsRequest.Key] = (0, 0),
    };

    private static readonly ClusterOptions AsKafka40 = new() { ApiGeneration = KafkaApiGeneration.Kafka40 };

    public static TheoryData<string, short> ServedApis() => AdvertisedRanges.ServedApis();

    /// <summary>The served APIs whose old versions Kafka 4.0 no longer accepts.</summary>
    public static TheoryData<string, short> RaisedApis()
    {
        var rows = new TheoryData<string, short>();
        foreach (var row in ServedApis())
        {
            if (Kafka40[(short)row[1]].Accepted > 0)
            {
                rows.Add((string)row[0], (short)row[1]);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(ServedApis))]
    public async Task Every_served_api_is_advertised_from_Kafka_40s_lowest_version(string api, short key)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(AsKafka40);
        var advertised = await AdvertisedRanges.OfAsync(cluster);

        Assert.True(advertised.TryGetValue(key, out var ours), $"{api} has a handler but is not advertised.");
        Assert.True(ours.Min == Kafka40[key].Advertised, $"{api} is advertised from v{ours.Min}; Kafka 4.0.0 advertises it from v{Kafka40[key].Advertised}.");

        // Only the low end moves: the highest version is what the handler serves under Kafka 3.9's ranges too.
        Assert.Equal(HandlerSet.All().Single(h => h.ApiKey == key).HighestVersion, ours.Max);
    }

    [Theory]
    [MemberData(nameof(RaisedApis))]
    public async Task A_request_below_Kafka_40s_lowest_version_closes_the_connection(string api, short key)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(AsKafka40);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var tooOld = (short)(Kafka40[key].Accepted - 1);

        await raw.WriteAsync(raw.Frame(ApiMessages.CreateRequest(key)!, tooOld, raw.NextCorrelationId()));
        Assert.True((await raw.WaitForCloseAsync()).Length == 0, $"{api} v{tooOld} was answered; Kafka 4.0 closes the connection.");
    }

    [Fact]
    public async Task The_lowest_versions_Kafka_40_accepts_are_served()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(AsKafka40);
        await Clients.CreateTopicAsync(cluster, "t", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var listed = await raw.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new ListOffsetsRequest.ListOffsetsTopic { Name = "t", Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = -1 }] }],
        }, 1);
        Assert.Equal((ErrorCodes.None, 0L), (listed.Topics[0].Partitions[0].ErrorCode, listed.Topics[0].Partitions[0].Offset));

        var committed = await raw.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "g",
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 0 }] }],
        }, 2);
        Assert.Equal(ErrorCodes.None, committed.Topics[0].Partitions[0].ErrorCode);

        var fetched = await raw.SendAsync<OffsetFetchResponse>(new OffsetFetchRequest
        {
            GroupId = "g",
            Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "t", PartitionIndexes = [0] }],
        }, 1);
        Assert.Equal(0L, fetched.Topics[0].Partitions[0].CommittedOffset);

        var joined = await raw.SendAsync<JoinGroupResponse>(new JoinGroupRequest
        {
            GroupId = "joiners",
            SessionTimeoutMs = 10_000,
            RebalanceTimeoutMs = 10_000,
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = new byte[] { 0 } }],
        }, 2);
        Assert.Equal(ErrorCodes.None, joined.ErrorCode);

        var created = await raw.SendAsync<CreateTopicsResponse>(new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = "made", NumPartitions = 1, ReplicationFactor = 1 }],
            TimeoutMs = 5_000,
        }, 2);
        Assert.Equal(ErrorCodes.None, created.Topics[0].ErrorCode);

        var deleted = await raw.SendAsync<DeleteTopicsResponse>(new DeleteTopicsRequest { TopicNames = ["made"], TimeoutMs = 5_000 }, 1);
        Assert.Equal(ErrorCodes.None, deleted.Responses[0].ErrorCode);

        var epochs = await raw.SendAsync<OffsetForLeaderEpochResponse>(new OffsetForLeaderEpochRequest
        {
            Topics = [new OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = "t", Partitions = [new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, LeaderEpoch = 0 }] }],
        }, 2);
        Assert.Equal(ErrorCodes.None, epochs.Topics[0].Partitions[0].ErrorCode);

        var configs = await raw.SendAsync<DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = 2, ResourceName = "t" }],
        }, 1);
        Assert.Equal(ErrorCodes.None, configs.Results[0].ErrorCode);
    }

    [Fact]
    public async Task ApiVersions_v0_is_still_answered_with_Kafka_40s_ranges()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(AsKafka40);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var v0 = await raw.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 0);
        Assert.Equal(0, v0.ErrorCode);
        Assert.Equal(4, v0.ApiKeys.Single(k => k.ApiKey == FetchRequest.Key).MinVersion);
    }

    [Fact]
    public void The_cluster_table_matches_this_one_and_covers_every_api_the_codecs_know()
    {
        foreach (var api in ApiMessages.All)
        {
            Assert.True(Kafka40.TryGetValue(api.Key, out var expected), $"{api.Name}: no Kafka 4.0 row in this test.");
            Assert.Equal((api.Name, expected.Accepted), (api.Name, Kafka40Minimums.Accepted(api.Key)));
            Assert.Equal((api.Name, expected.Advertised), (api.Name, Kafka40Minimums.Advertised(api.Key)));
        }

        Assert.Equal(ApiMessages.All.Select(a => a.Key).Order(), Kafka40Minimums.Keys.Order());
    }
}
