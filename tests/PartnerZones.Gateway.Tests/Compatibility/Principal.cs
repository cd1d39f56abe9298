namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>Who talks to the gateway: the version bridge wraps every principal's router, so each translation
/// test runs for a zone's partner (aliases, namespaced groups) and for an admin (the backing cluster as it is).</summary>
public enum Principal
{
    Partner,
    Admin,
}
