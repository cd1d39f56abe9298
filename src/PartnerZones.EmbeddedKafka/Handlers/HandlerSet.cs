using PartnerZones.EmbeddedKafka.Network;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>Every API a node serves. ApiVersions advertises exactly these.</summary>
internal static class HandlerSet
{
    public static IEnumerable<IApiHandler> For(BrokerNode node) =>
    [
        new ApiVersionsHandler(),
        new MetadataHandler(),
        new CreateTopicsHandler(),
        new DeleteTopicsHandler(),
        new CreatePartitionsHandler(),
        new DescribeGroupsHandler(),
        new ListGroupsHandler(),
        new DeleteGroupsHandler(),
        new DescribeClusterHandler(),
        new DescribeConfigsHandler(),
    ];
}
