using PartnerZones.Gateway.Routing;
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

    public static OutgoingFrame Respond(GatewayRuntime runtime, RequestHeader header, byte[] body, Principal? principal)
    {
        var response = new ApiVersionsResponse();
        Func<short, (short, short)?> cap = principal is { IsAdmin: false } ? ZoneApis.Cap : PassthroughRouter.Cap;
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

        _ = MessageCodec.Decode<ApiVersionsRequest>(body, version);
        return OutgoingFrame.Prebuilt(ResponseFrames.Encode(header.CorrelationId, version, response));
    }
}
