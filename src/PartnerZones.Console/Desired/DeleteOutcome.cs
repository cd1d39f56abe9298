namespace PartnerZones.ControlPlane.Desired;

/// <summary>What a delete did: removed the resource at once (nothing outside the console holds it), or
/// marked it DELETING until its gateway confirms (a PartnerZone whose console deploys to gateways).</summary>
public enum DeleteOutcome
{
    Removed,
    Pending,
}
