namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>Config resource types (the resource_type of the config APIs) and how partners are refused
/// changes to them.</summary>
internal static class ConfigResources
{
    public const sbyte Topic = 2;

    /// <summary>A change to a topic's config is a topic right; anything else is the cluster's.</summary>
    public static short ChangeRefusal(sbyte resourceType) =>
        resourceType == Topic ? ErrorCodes.TopicAuthorizationFailed : ErrorCodes.ClusterAuthorizationFailed;
}
