using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>confluent-kafka-python (librdkafka through Debian's python3-confluent-kafka) as a separate process.</summary>
[Collection(ProcessClientsCollection.Name)]
public sealed class ConfluentKafkaPythonTests : ScriptClientTests
{
    protected override ScriptClient Client => ScriptClient.ConfluentKafkaPython;
}
