using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing.Zone.Handlers;

/// <summary>ApiVersions is answered by the client session (Network.ClientSession) for every principal; this
/// entry only says which versions are offered.</summary>
internal sealed class ApiVersionsHandler : SessionHandledApi<ApiVersionsRequest>;
