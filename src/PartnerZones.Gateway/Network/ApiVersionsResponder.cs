using PartnerZones.Gateway.Routing;
using PartnerZones.Gateway.Routing.Zone;
using PartnerZones.Gateway.Security;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Network;

/// <summary>
/// Answers ApiVersions at the gateway. Before authentication the principal is unknown, so the offer is
/// what any principal may use; asked again after authentication it is exactly what this principal may
/// use. A request newer than we speak gets UNSUPPORTED_VERSION with our ranges in a v0 response.
/// </summary>
internal static class ApiVersionsResponder
{
    private const short UnsupportedVersion = 35;

    /// <summary>The answer; <paramref name="software"/> is the client's name and version when it sent them (v3+).</summary>
    public static OutgoingFrame Respond(GatewayRuntime runtime, RequestHeader header, byte[] body, Principal? principal, out string? software)
    {
        software = null;
        var response = new ApiVersionsResponse();
        Func<short, (short, short)?> cap = principal is { IsAdmin: false } ? ZoneHandlers.Cap : PassthroughRouter.Cap;
        foreach (var (key, min, max) in runtime.Apis.Offered(cap))
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = key, MinVersion = min, MaxVersion = max });
        }

        var version = header.ApiVersion;
        if (version > ApiVersionsRequest.HighestVersion || version < 0)
        {
            response.ErrorCode = UnsupportedVersion;
            return OutgoingFrame.Prebuilt(ResponseFrames.Encode(header.CorrelationId, 0, response));
        }

        var request = MessageCodec.Decode<ApiVersionsRequest>(body, version);
        if (version >= 3)
        {
            software = $"{request.ClientSoftwareName} {request.ClientSoftwareVersion}".Trim();
        }

        return OutgoingFrame.Prebuilt(ResponseFrames.Encode(header.CorrelationId, version, response));
    }
}
