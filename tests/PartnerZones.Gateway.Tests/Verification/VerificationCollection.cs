namespace PartnerZones.Gateway.Tests.Verification;

/// <summary>The verification tests each start their own cluster and gateway (some with three nodes):
/// one at a time, so a small, busy machine does not turn their timeouts into flakes.</summary>
[CollectionDefinition(Name)]
public sealed class VerificationCollection
{
    public const string Name = "Gateway verification";
}
