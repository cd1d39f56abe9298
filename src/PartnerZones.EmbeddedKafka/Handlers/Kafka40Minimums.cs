using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// The lowest version Apache Kafka 4.0.0 serves of every API the protocol library has codecs for (the low
/// end of validVersions in the 4.0.0 request definitions). KIP-896 removed the versions below these; every
/// other API kept v0. 4.0.1 gave JoinGroup v0-1 back (KAFKA-19444); this table is 4.0.0's.
/// </summary>
internal static class Kafka40Minimums
{
    private static readonly Dictionary<short, short> Lowest = new()
    {
        [ProduceRequest.Key] = 3,
        [FetchRequest.Key] = 4,
        [ListOffsetsRequest.Key] = 1,
        [MetadataRequest.Key] = 0,
        [OffsetCommitRequest.Key] = 2,
        [OffsetFetchRequest.Key] = 1,
        [FindCoordinatorRequest.Key] = 0,
        [JoinGroupRequest.Key] = 2,
        [HeartbeatRequest.Key] = 0,
        [LeaveGroupRequest.Key] = 0,
        [SyncGroupRequest.Key] = 0,
        [DescribeGroupsRequest.Key] = 0,
        [ListGroupsRequest.Key] = 0,
        [SaslHandshakeRequest.Key] = 0,
        [ApiVersionsRequest.Key] = 0,
        [CreateTopicsRequest.Key] = 2,
        [DeleteTopicsRequest.Key] = 1,
        [DeleteRecordsRequest.Key] = 0,
        [InitProducerIdRequest.Key] = 0,
        [OffsetForLeaderEpochRequest.Key] = 2,
        [AddPartitionsToTxnRequest.Key] = 0,
        [AddOffsetsToTxnRequest.Key] = 0,
        [EndTxnRequest.Key] = 0,
        [TxnOffsetCommitRequest.Key] = 0,
        [DescribeAclsRequest.Key] = 1,
        [CreateAclsRequest.Key] = 1,
        [DeleteAclsRequest.Key] = 1,
        [DescribeConfigsRequest.Key] = 1,
        [AlterConfigsRequest.Key] = 0,
        [SaslAuthenticateRequest.Key] = 0,
        [CreatePartitionsRequest.Key] = 0,
        [DeleteGroupsRequest.Key] = 0, // KIP-896 listed v0, but it was kept (KAFKA-18352) before 4.0.0 shipped
        [IncrementalAlterConfigsRequest.Key] = 0,
        [OffsetDeleteRequest.Key] = 0,
        [DescribeClusterRequest.Key] = 0,
        [DescribeProducersRequest.Key] = 0,
        [DescribeTransactionsRequest.Key] = 0,
        [ListTransactionsRequest.Key] = 0,
        [ConsumerGroupHeartbeatRequest.Key] = 0,
        [ConsumerGroupDescribeRequest.Key] = 0,
        [DescribeTopicPartitionsRequest.Key] = 0,
    };

    /// <summary>Every API key the table has an entry for.</summary>
    public static IEnumerable<short> Keys => Lowest.Keys;

    /// <summary>The lowest version Kafka 4.0.0 accepts.</summary>
    public static short Accepted(short apiKey) => Lowest.TryGetValue(apiKey, out var lowest)
        ? lowest
        : throw new InvalidOperationException($"No Kafka 4.0 lowest version is known for API key {apiKey}; add it to {nameof(Kafka40Minimums)} from the 4.0.0 request definition.");

    /// <summary>
    /// The lowest version Kafka 4.0.0 advertises in ApiVersions. The same as <see cref="Accepted"/> except for
    /// Produce, which 4.0 still lists from v0 because librdkafka refused to compress without it (KAFKA-18659),
    /// while closing the connection on a v0-2 request.
    /// </summary>
    public static short Advertised(short apiKey) => apiKey == ProduceRequest.Key ? (short)0 : Accepted(apiKey);
}
