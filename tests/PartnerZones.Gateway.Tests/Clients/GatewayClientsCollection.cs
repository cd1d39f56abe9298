namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>The real-client tests through the gateway run one after another: each starts its own cluster
/// and gateway, and several client processes, clusters and gateways at once on a small, busy machine make
/// timeouts flaky.</summary>
[CollectionDefinition(Name)]
public sealed class GatewayClientsCollection
{
    public const string Name = "Gateway real clients";
}
