using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Gateway.Tests.Clients;

/// <summary>kafka-python (pure Python, Debian's python3-kafka) as a partner through the gateway.</summary>
[Collection(GatewayClientsCollection.Name)]
public sealed class KafkaPythonGatewayTests : ScriptClientGatewayTests
{
    protected override ScriptClient Client => ScriptClient.KafkaPython;
}
