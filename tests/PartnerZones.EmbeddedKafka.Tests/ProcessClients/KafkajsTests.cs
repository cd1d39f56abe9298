using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>kafkajs (pure JavaScript, from npm) as a separate process.</summary>
[Collection(ProcessClientsCollection.Name)]
public sealed class KafkajsTests : ScriptClientTests
{
    protected override ScriptClient Client => ScriptClient.Kafkajs;
}
