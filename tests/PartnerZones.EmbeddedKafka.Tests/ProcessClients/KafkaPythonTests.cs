using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>kafka-python (pure Python, Debian's python3-kafka) as a separate process.</summary>
[Collection(ProcessClientsCollection.Name)]
public sealed class KafkaPythonTests : ScriptClientTests
{
    protected override ScriptClient Client => ScriptClient.KafkaPython;
}
