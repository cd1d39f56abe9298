namespace PartnerZones.EmbeddedKafka.Tests.ProcessClients;

/// <summary>The tests that run clients as processes share one collection, so they run one after another:
/// several client processes and clusters at once on a small, busy machine make timeouts flaky.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessClientsCollection
{
    public const string Name = "Process clients";
}
