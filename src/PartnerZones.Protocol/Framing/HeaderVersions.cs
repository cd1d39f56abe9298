using PartnerZones.Protocol.Messages;

namespace PartnerZones.Protocol.Framing;

/// <summary>
/// Which header version goes with an API version. The response header does not say which API it
/// answers, so both sides must derive it from the request they remember.
/// </summary>
public static class HeaderVersions
{
    /// <summary>Request header: v2 (tagged fields) for flexible versions, v1 otherwise.
    /// (v0, without client id, was only ever used by ControlledShutdown v0, which no client sends.)</summary>
    public static short Request(short apiKey, short apiVersion)
    {
        var api = ApiMessages.Find(apiKey);
        return api is not null && api.IsFlexible(apiVersion) ? (short)2 : (short)1;
    }

    /// <summary>Response header: v1 (tagged fields) for flexible versions, v0 otherwise, and always v0
    /// for ApiVersions so a client can read the answer before it knows what the broker speaks.</summary>
    public static short Response(short apiKey, short apiVersion)
    {
        if (apiKey == ApiVersionsRequest.Key)
        {
            return 0;
        }

        var api = ApiMessages.Find(apiKey);
        return api is not null && api.IsFlexible(apiVersion) ? (short)1 : (short)0;
    }
}
