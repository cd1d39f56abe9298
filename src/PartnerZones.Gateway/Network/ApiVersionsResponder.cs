using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Network;

/// <summary>
/// Answers ApiVersions at the gateway: what the codecs and the upstream share, the same before and after
/// login and for every principal. A partner is served every API and version offered (ZoneHandlers),
/// refused where Kafka would refuse an unauthorized client. A request newer than we speak gets
/// UNSUPPORTED_VERSION with our ranges in a v0 response.
/// </summary>
internal static class ApiVersionsResponder
{
    private const short UnsupportedVersion = 35;

    /// <summary>The answer; <paramref name="software"/> is the client's name and version when it sent them (v3+).</summary>
    public static OutgoingFrame Respond(GatewayRuntime runtime, RequestHeader header, byte[] body, out string? software)
    {
        software = null;
        var response = new ApiVersionsResponse();
        // One offer for every principal: many clients ask only once, before login, and then use the highest
        // versions both sides offer, so what is offered before login must be what every principal is served.
        foreach (var (key, min, max) in runtime.Apis.Offer)
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
