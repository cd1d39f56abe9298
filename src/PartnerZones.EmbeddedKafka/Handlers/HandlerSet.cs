using PartnerZones.EmbeddedKafka.Network;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Every API a node serves. ApiVersions advertises exactly these.</summary>
internal static class HandlerSet
{
    public static IEnumerable<IApiHandler> For(BrokerNode node) =>
    [
        new ProduceHandler(),
        new FetchHandler(),
        new ListOffsetsHandler(),
        new MetadataHandler(),
        new OffsetCommitHandler(),
        new OffsetFetchHandler(),
        new FindCoordinatorHandler(),
        new JoinGroupHandler(),
        new HeartbeatHandler(),
        new LeaveGroupHandler(),
        new SyncGroupHandler(),
        new SaslHandshakeHandler(),
        new ApiVersionsHandler(),
        new OffsetForLeaderEpochHandler(),
        new OffsetDeleteHandler(),
        new CreateTopicsHandler(),
        new DeleteTopicsHandler(),
        new CreatePartitionsHandler(),
        new DescribeGroupsHandler(),
        new ListGroupsHandler(),
        new DeleteGroupsHandler(),
        new DescribeClusterHandler(),
        new DescribeConfigsHandler(),
        new SaslAuthenticateHandler(),
        new InitProducerIdHandler(),
        new AddPartitionsToTxnHandler(),
        new AddOffsetsToTxnHandler(),
        new EndTxnHandler(),
        new TxnOffsetCommitHandler(),
        new DescribeProducersHandler(),
        new DescribeTransactionsHandler(),
        new ListTransactionsHandler(),
        new DeleteRecordsHandler(),
    ];
}
