using PartnerZones.Protocol.Messages;
using B = PartnerZones.Gateway.Tests.Security.BackingClusterState;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>Producer ids, transactions and record deletion. The partner names the upstream's own
/// transactional id and group and the backing and foreign topics: transactional ids are namespaced, so
/// the upstream's transaction is never touched, and topics outside the zone are unknown.</summary>
internal static partial class IsolationProbes
{
    private static IReadOnlyList<Probe> DeleteRecords(short version) =>
    [
        Probe.Of<DeleteRecordsResponse>(
            "delete records of the backing and foreign topics",
            new DeleteRecordsRequest
            {
                Topics =
                [
                    new DeleteRecordsRequest.DeleteRecordsTopic { Name = B.BackingTopic, Partitions = [new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = 0, Offset = -1 }] },
                    new DeleteRecordsRequest.DeleteRecordsTopic { Name = B.PrivateTopic, Partitions = [new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = 0, Offset = -1 }] },
                ],
                TimeoutMs = 5000,
            },
            version,
            r => Assert.All(r.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(UnknownTopicOrPartition, p.ErrorCode))),
    ];

    private static IReadOnlyList<Probe> InitProducerId(short version) =>
    [
        // The zone may produce, so this succeeds, but for the zone's own namespaced id: the backing
        // cluster's transaction of the same name is left as it was (checked after every row).
        Probe.Of<InitProducerIdResponse>(
            "a producer id for the upstream's transactional id",
            new InitProducerIdRequest { TransactionalId = B.UpstreamTransactionalId, TransactionTimeoutMs = 60_000 },
            version,
            r => Assert.True(r.ErrorCode is 0 or 15 or 51, $"InitProducerId answered {r.ErrorCode}")),
    ];

    private static IReadOnlyList<Probe> AddPartitionsToTxn(short version) => version >= 4
        ?
        [
            // The broker-to-broker form (KIP-890): Kafka refuses it to clients with CLUSTER_AUTHORIZATION_FAILED.
            Probe.Of<AddPartitionsToTxnResponse>(
                "verify the upstream's transaction as a broker would",
                new AddPartitionsToTxnRequest
                {
                    Transactions =
                    [
                        new AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction
                        {
                            TransactionalId = B.UpstreamTransactionalId,
                            ProducerId = 0,
                            ProducerEpoch = 0,
                            VerifyOnly = true,
                            Topics = [new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = B.BackingTopic, Partitions = [0] }],
                        },
                    ],
                },
                version,
                r =>
                {
                    Assert.Equal(ClusterAuthorizationFailed, r.ErrorCode);
                    Assert.Empty(r.ResultsByTransaction);
                }),
        ]
        :
    [
        Probe.Of<AddPartitionsToTxnResponse>(
            "add the backing and foreign topics to the upstream's transaction",
            new AddPartitionsToTxnRequest
            {
                V3AndBelowTransactionalId = B.UpstreamTransactionalId,
                V3AndBelowProducerId = 0,
                V3AndBelowProducerEpoch = 0,
                V3AndBelowTopics =
                [
                    new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = B.BackingTopic, Partitions = [0] },
                    new AddPartitionsToTxnRequest.AddPartitionsToTxnTopic { Name = B.PrivateTopic, Partitions = [0] },
                ],
            },
            version,
            r => Assert.All(r.ResultsByTopicV3AndBelow.SelectMany(t => t.ResultsByPartition), p => Assert.Equal(UnknownTopicOrPartition, p.PartitionErrorCode))),
    ];

    private static IReadOnlyList<Probe> AddOffsetsToTxn(short version) =>
    [
        Probe.Of<AddOffsetsToTxnResponse>(
            "add the upstream group to the upstream's transaction",
            new AddOffsetsToTxnRequest { TransactionalId = B.UpstreamTransactionalId, ProducerId = 0, ProducerEpoch = 0, GroupId = B.UpstreamGroup },
            version,
            r => Assert.NotEqual(0, r.ErrorCode)),
    ];

    private static IReadOnlyList<Probe> EndTxn(short version) =>
    [
        Probe.Of<EndTxnResponse>(
            "abort the upstream's transaction",
            new EndTxnRequest { TransactionalId = B.UpstreamTransactionalId, ProducerId = 0, ProducerEpoch = 0, Committed = false },
            version,
            r => Assert.NotEqual(0, r.ErrorCode)),
    ];

    private static IReadOnlyList<Probe> TxnOffsetCommit(short version) =>
    [
        Probe.Of<TxnOffsetCommitResponse>(
            "commit offsets of the backing and foreign topics for the upstream group in a transaction",
            new TxnOffsetCommitRequest
            {
                TransactionalId = B.UpstreamTransactionalId,
                GroupId = B.UpstreamGroup,
                ProducerId = 0,
                ProducerEpoch = 0,
                Topics =
                [
                    new TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic { Name = B.BackingTopic, Partitions = [new TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 0 }] },
                    new TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic { Name = B.PrivateTopic, Partitions = [new TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 0 }] },
                ],
            },
            version,
            r => Assert.All(r.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(UnknownTopicOrPartition, p.ErrorCode))),
    ];
}
