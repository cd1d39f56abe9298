using PartnerZones.LoadTest.Workload;

namespace PartnerZones.LoadTest.Targets;

/// <summary>A new topic per scenario, created through the target and deleted after it, so scenarios never
/// read each other's records and an in-memory cluster gives the memory back.</summary>
internal sealed class FreshTopics(string bootstrap, ClientProperties client) : ITopicSource
{
    public async Task<ScenarioTopic> PrepareAsync(string name, int partitions)
    {
        var replication = await TopicAdmin.CreateAsync(bootstrap, client, name, partitions).ConfigureAwait(false);
        return new ScenarioTopic(name, ScenarioTopic.FromBeginning(name, partitions), replication, () => TopicAdmin.DeleteAsync(bootstrap, client, name));
    }
}
