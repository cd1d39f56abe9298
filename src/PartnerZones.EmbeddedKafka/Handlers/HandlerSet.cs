using PartnerZones.EmbeddedKafka.Network;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Every API a node serves. ApiVersions advertises exactly these.</summary>
internal static class HandlerSet
{
    /// <summary>The node's handlers, narrowed to Kafka 4.0.0's lowest versions when the cluster acts as 4.0.</summary>
    public static IEnumerable<IApiHandler> For(BrokerNode node) =>
        node.Options.ApiGeneration == KafkaApiGeneration.Kafka40 ? [.. All().Select(h => new Kafka40Handler(h))] : All();

    /// <summary>Every handler, over the versions it serves itself (Kafka 3.9's ranges).</summary>
    public static IApiHandler[] All() =>
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
        new ConsumerGroupHeartbeatHandler(),
        new ConsumerGroupDescribeHandler(),
    ];
}
