namespace PartnerZones.CaptureGoldens;

/// <summary>What each scenario did, in words and exact commands, for the README next to the captures.</summary>
internal sealed class ScenarioLog
{
    private readonly List<(string Client, string Scenario, string Description)> _entries = [];

    public IReadOnlyList<(string Client, string Scenario, string Description)> Entries => _entries;

    public void Add(string client, string scenario, string description) => _entries.Add((client, scenario, description));
}
