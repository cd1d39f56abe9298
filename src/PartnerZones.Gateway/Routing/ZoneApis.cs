using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

/// <summary>
/// The APIs and versions a partner (zone) principal may use. Anything not listed is not offered and,
/// if sent anyway, closes the connection (fail closed). Administrative APIs are offered so that a
/// client gets the proper authorization error instead of a confusing "unsupported" one.
/// </summary>
internal static class ZoneApis
{
    private static readonly Dictionary<short, (short Min, short Max)> Allowed = new()
    {
        [ProduceRequest.Key] = (3, 13),
        [FetchRequest.Key] = (4, 18),
        [ListOffsetsRequest.Key] = (1, 11),
        // v0 too: kafka-python probes a broker with ApiVersions v0 followed by Metadata v0 and takes a
        // closed connection for an ancient broker (see Clients/MetadataV0Tests in the gateway tests).
        [MetadataRequest.Key] = (0, 13),
        // Topic ids in offset APIs (v10) are not mapped yet: those versions are not offered.
        [OffsetCommitRequest.Key] = (2, 9),
        [OffsetFetchRequest.Key] = (1, 9),
        [FindCoordinatorRequest.Key] = (0, 6),
        [JoinGroupRequest.Key] = (0, 9),
        [HeartbeatRequest.Key] = (0, 4),
        [LeaveGroupRequest.Key] = (0, 5),
        [SyncGroupRequest.Key] = (0, 5),
        [DescribeGroupsRequest.Key] = (0, 6),
        [ListGroupsRequest.Key] = (0, 5),
        [SaslHandshakeRequest.Key] = (0, 1),
        [ApiVersionsRequest.Key] = (0, 4),
        [CreateTopicsRequest.Key] = (0, 7),
        [DeleteTopicsRequest.Key] = (0, 6),
        [DeleteRecordsRequest.Key] = (0, 2),
        [InitProducerIdRequest.Key] = (0, 5),
        [OffsetForLeaderEpochRequest.Key] = (0, 4),
        // v4+ is broker-to-broker only.
        [AddPartitionsToTxnRequest.Key] = (0, 3),
        [AddOffsetsToTxnRequest.Key] = (0, 4),
        [EndTxnRequest.Key] = (0, 4),
        [TxnOffsetCommitRequest.Key] = (0, 4),
        [DescribeAclsRequest.Key] = (0, 3),
        [CreateAclsRequest.Key] = (0, 3),
        [DeleteAclsRequest.Key] = (0, 3),
        [AlterConfigsRequest.Key] = (0, 2),
        [SaslAuthenticateRequest.Key] = (0, 2),
        [CreatePartitionsRequest.Key] = (0, 3),
        [DeleteGroupsRequest.Key] = (0, 2),
        [IncrementalAlterConfigsRequest.Key] = (0, 1),
        [DescribeClusterRequest.Key] = (0, 2),
    };

    public static (short Min, short Max)? Cap(short apiKey) => Allowed.TryGetValue(apiKey, out var range) ? range : null;
}
