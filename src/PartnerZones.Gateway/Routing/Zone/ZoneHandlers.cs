using System.Collections.Frozen;
using PartnerZones.Gateway.Routing.Zone.Handlers;

namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>
/// Every API a partner principal can be served, one handler each, built once and shared by every
/// session. It covers every API the codecs know, each for the codec's whole version range: whatever the
/// gateway offers before login is served to a partner after it, answered or refused as Kafka answers an
/// unauthorized client, never with a closed connection (a test holds the registry to that).
/// </summary>
internal static class ZoneHandlers
{
    private static readonly FrozenDictionary<short, IZoneHandler> ByKey = new IZoneHandler[]
    {
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
        new DescribeGroupsHandler(),
        new ListGroupsHandler(),
        new SaslHandshakeHandler(),
        new ApiVersionsHandler(),
        new CreateTopicsHandler(),
        new DeleteTopicsHandler(),
        new DeleteRecordsHandler(),
        new InitProducerIdHandler(),
        new OffsetForLeaderEpochHandler(),
        new AddPartitionsToTxnHandler(),
        new AddOffsetsToTxnHandler(),
        new EndTxnHandler(),
        new TxnOffsetCommitHandler(),
        new DescribeAclsHandler(),
        new CreateAclsHandler(),
        new DeleteAclsHandler(),
        new AlterConfigsHandler(),
        new SaslAuthenticateHandler(),
        new CreatePartitionsHandler(),
        new DeleteGroupsHandler(),
        new IncrementalAlterConfigsHandler(),
        new DescribeConfigsHandler(),
        new OffsetDeleteHandler(),
        new DescribeClusterHandler(),
        new DescribeProducersHandler(),
        new DescribeTransactionsHandler(),
        new ListTransactionsHandler(),
        new ConsumerGroupHeartbeatHandler(),
        new ConsumerGroupDescribeHandler(),
        new DescribeTopicPartitionsHandler(),
    }.ToFrozenDictionary(h => h.ApiKey);

    /// <summary>Every handler, ordered by API key.</summary>
    public static IReadOnlyList<IZoneHandler> All { get; } = [.. ByKey.Values.OrderBy(h => h.ApiKey)];

    /// <summary>The handler for an API key, or null when partners are not served that API.</summary>
    public static IZoneHandler? Find(short apiKey) => ByKey.GetValueOrDefault(apiKey);

    /// <summary>The versions of an API served to partners, or null when none is.</summary>
    public static (short Min, short Max)? Cap(short apiKey) =>
        ByKey.TryGetValue(apiKey, out var handler) ? (handler.LowestVersion, handler.HighestVersion) : null;
}
