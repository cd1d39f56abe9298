using PartnerZones.EmbeddedKafka.Network;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Every API a node serves. ApiVersions advertises exactly these.</summary>
internal static class HandlerSet
{
    /// <summary>The node's handlers, narrowed to Kafka 4.0.0's lowest versions when the cluster acts as 4.0.</summary>
    public static IEnumerable<IApiHandler> For(BrokerNode node)
    {
        var handlers = All(node.Options.ServesConsumerGroupProtocol);
        return node.Options.ApiGeneration == KafkaApiGeneration.Kafka40 ? [.. handlers.Select(h => new Kafka40Handler(h))] : handlers;
    }

    /// <summary>Every handler, over the versions it serves itself (Kafka 3.9's ranges); the consumer group protocol's
    /// two APIs only when the cluster serves it (<see cref="ClusterOptions.ConsumerGroupProtocol"/>).</summary>
    public static IApiHandler[] All(bool consumerGroupProtocol = true) => consumerGroupProtocol
        ? [.. Classic(), new ConsumerGroupHeartbeatHandler(), new ConsumerGroupDescribeHandler()]
        : Classic();

    private static IApiHandler[] Classic() =>
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
