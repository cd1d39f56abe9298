namespace PartnerZones.LoadTest.Gateway;

/// <summary>One gateway comparison result: which workload, which side.</summary>
internal sealed record CompareRun(CompareVariant Variant, ScenarioResult Result);
