namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>Config resource types (the resource_type of the config APIs) and how partners are refused
/// changes to them.</summary>
internal static class ConfigResources
{
    public const sbyte Topic = 2;
    public const sbyte Broker = 4;
    public const sbyte BrokerLogger = 8;
    public const sbyte ClientMetrics = 16;
    public const sbyte Group = 32;

    // Config sources (DescribeConfigs, KIP-226): where an entry's value or synonym comes from.
    public const sbyte TopicConfigSource = 1;
    public const sbyte DefaultConfigSource = 5;

    /// <summary>A change to a topic's config is a topic right; anything else is the cluster's.</summary>
    public static short ChangeRefusal(sbyte resourceType) =>
        resourceType == Topic ? ErrorCodes.TopicAuthorizationFailed : ErrorCodes.ClusterAuthorizationFailed;
}
