using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>SaslAuthenticate is answered by the client session (Network.ClientSession) for every principal; this
/// entry only says which versions are offered.</summary>
internal sealed class SaslAuthenticateHandler : SessionHandledApi<SaslAuthenticateRequest>;
