using PartnerZones.LoadTest.Targets;
using PartnerZones.LoadTest.Workload;

namespace PartnerZones.LoadTest.Gateway;

/// <summary>
/// The gateway side's topics: a partner cannot create topics, so every scenario's backing topic was created
/// upstream before the gateway started, and the zone aliases each one (WRITE). Each scenario takes the next
/// alias; afterwards its backing topic is deleted upstream, which gives the embedded cluster its memory back.
/// </summary>
internal sealed class ZoneTopics(string upstreamBootstrap, IReadOnlyList<ZoneTopics.Alias> aliases) : ITopicSource
{
    private int _next;

    public sealed record Alias(string Name, string Backing);

    public Task<ScenarioTopic> PrepareAsync(string name, int partitions)
    {
        if (_next >= aliases.Count)
        {
            throw new InvalidOperationException($"The zone has {aliases.Count} topic aliases and all are used; the run plan asked for more scenarios than it planned.");
        }

        var alias = aliases[_next++];
        return Task.FromResult(new ScenarioTopic(alias.Name, ScenarioTopic.FromBeginning(alias.Name, partitions), 1,
            () => TopicAdmin.DeleteAsync(upstreamBootstrap, ClientProperties.None, alias.Backing)));
    }
}
