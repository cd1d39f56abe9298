using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>kafkajs (pure JavaScript, from npm) as a partner through the gateway.</summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class KafkajsGatewayTests : ScriptClientGatewayTests
{
    protected override ScriptClient Client => ScriptClient.Kafkajs;
}
