using PartnerZones.Gateway.Policy;

namespace PartnerZones.Gateway.Security;

/// <summary>Who a connection authenticated as: an admin (passthrough) or a partner bound to a zone.</summary>
public sealed record Principal(string Name, string CredentialId, bool IsAdmin, ZonePolicy? Zone);
