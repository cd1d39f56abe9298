using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// By default the cluster serves every version Apache Kafka 3.9 accepts: for each API it has a handler for,
/// the advertised lowest version is 3.9's (v0 throughout) and the highest is at least 3.9's (it may be
/// higher where the codecs are newer than 3.9).
/// </summary>
public sealed class Kafka39RangesTests
{
    /// <summary>
    /// Kafka 3.9.0's version range of every client API the protocol library has codecs for, from the 3.9.0
    /// request definitions (validVersions, as a 3.9 broker advertises them).
    /// </summary>
    private static readonly Dictionary<short, (short Min, short Max)> Kafka39 = new()
    {
        [ProduceRequest.Key] = (0, 11),
        [FetchRequest.Key] = (0, 17),
        [ListOffsetsRequest.Key] = (0, 9),
        [MetadataRequest.Key] = (0, 12),
        [OffsetCommitRequest.Key] = (0, 9),
        [OffsetFetchRequest.Key] = (0, 9),
        [FindCoordinatorRequest.Key] = (0, 6),
        [JoinGroupRequest.Key] = (0, 9),
        [HeartbeatRequest.Key] = (0, 4),
        [LeaveGroupRequest.Key] = (0, 5),
        [SyncGroupRequest.Key] = (0, 5),
        [DescribeGroupsRequest.Key] = (0, 5),
        [ListGroupsRequest.Key] = (0, 5),
        [SaslHandshakeRequest.Key] = (0, 1),
        [ApiVersionsRequest.Key] = (0, 4),
        [CreateTopicsRequest.Key] = (0, 7),
        [DeleteTopicsRequest.Key] = (0, 6),
        [DeleteRecordsRequest.Key] = (0, 2),
        [InitProducerIdRequest.Key] = (0, 5),
        [OffsetForLeaderEpochRequest.Key] = (0, 4),
        [AddPartitionsToTxnRequest.Key] = (0, 5),
        [AddOffsetsToTxnRequest.Key] = (0, 4),
        [EndTxnRequest.Key] = (0, 4),
        [TxnOffsetCommitRequest.Key] = (0, 4),
        [DescribeAclsRequest.Key] = (0, 3),
        [CreateAclsRequest.Key] = (0, 3),
        [DeleteAclsRequest.Key] = (0, 3),
        [DescribeConfigsRequest.Key] = (0, 4),
        [AlterConfigsRequest.Key] = (0, 2),
        [SaslAuthenticateRequest.Key] = (0, 2),
        [CreatePartitionsRequest.Key] = (0, 3),
        [DeleteGroupsRequest.Key] = (0, 2),
        [IncrementalAlterConfigsRequest.Key] = (0, 1),
        [OffsetDeleteRequest.Key] = (0, 0),
        [DescribeClusterRequest.Key] = (0, 1),
        [DescribeProducersRequest.Key] = (0, 0),
        [DescribeTransactionsRequest.Key] = (0, 0),
        [ListTransactionsRequest.Key] = (0, 1),
        [ConsumerGroupHeartbeatRequest.Key] = (0, 0),
        [ConsumerGroupDescribeRequest.Key] = (0, 0),
        [DescribeTopicPartitionsRequest.Key] = (0, 0),
    };

    // Kafka 3.9 serves the KIP-848 consumer group protocol only when configured to (a preview there), and so
    // does the cluster in its 3.9 generation: by default those two APIs are not served.
    public static TheoryData<string, short> ServedApis() => AdvertisedRanges.ServedApis(consumerGroupProtocol: false);

    [Theory]
    [MemberData(nameof(ServedApis))]
    public async Task Every_served_api_is_advertised_over_at_least_Kafka_39s_range(string api, short key)
    {
        Assert.True(Kafka39.TryGetValue(key, out var kafka), $"{api} is served but Kafka 3.9 has no such client API; add its 3.9 range here or stop serving it.");
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        var advertised = await AdvertisedRanges.OfAsync(cluster);

        Assert.True(advertised.TryGetValue(key, out var ours), $"{api} has a handler but is not advertised.");
        Assert.True(ours.Min == kafka.Min, $"{api} is advertised from v{ours.Min}; Kafka 3.9 accepts it from v{kafka.Min}.");
        Assert.True(ours.Max >= kafka.Max, $"{api} is advertised up to v{ours.Max}; Kafka 3.9 accepts up to v{kafka.Max}.");
    }

    [Fact]
    public async Task The_consumer_group_protocol_is_advertised_only_when_turned_on()
    {
        await using (var plain = await EmbeddedCluster.StartAsync(new ClusterOptions()))
        {
            var advertised = await AdvertisedRanges.OfAsync(plain);
            Assert.False(advertised.ContainsKey(ConsumerGroupHeartbeatRequest.Key));
            Assert.False(advertised.ContainsKey(ConsumerGroupDescribeRequest.Key));
        }

        await using var on = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        var ranges = await AdvertisedRanges.OfAsync(on);
        Assert.Equal(((short)0, (short)1), ranges[ConsumerGroupHeartbeatRequest.Key]);
        Assert.Equal(((short)0, (short)1), ranges[ConsumerGroupDescribeRequest.Key]);
    }

    [Fact]
    public async Task Only_apis_with_a_handler_are_advertised()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        var advertised = await AdvertisedRanges.OfAsync(cluster);
        Assert.Equal(ServedApis().Select(row => (short)row[1]).Order(), advertised.Keys.Order());
    }
}
