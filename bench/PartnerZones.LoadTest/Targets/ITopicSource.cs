namespace PartnerZones.LoadTest.Targets;

/// <summary>Where a target's scenarios get their topics.</summary>
public interface ITopicSource
{
    /// <param name="name">A name unique to the scenario, for sources that create topics.</param>
    Task<ScenarioTopic> PrepareAsync(string name, int partitions);
}
