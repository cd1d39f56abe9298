using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>confluent-kafka-python (librdkafka through Debian's python3-confluent-kafka) as a partner through the gateway.</summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class ConfluentKafkaPythonGatewayTests : ScriptClientGatewayTests
{
    protected override ScriptClient Client => ScriptClient.ConfluentKafkaPython;
}
