using System.Buffers.Binary;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.CaptureGoldens;

/// <summary>
/// One request frame and the response frame the cluster sent for it (null for an acks=0 produce),
/// each header and body without the size prefix, copied out of the connection's pooled buffers.
/// </summary>
internal sealed record CapturedExchange(
    string Client,
    string Scenario,
    short ApiKey,
    short ApiVersion,
    int CorrelationId,
    byte[] Request,
    byte[]? Response)
{
    // KIP-511: an ApiVersions request newer than the broker speaks is answered at v0 with
    // UNSUPPORTED_VERSION (35); the error code leads the body in every version, so a reader can
    // tell which version to decode the body at. Every other response uses the request's version.
    private const short UnsupportedVersion = 35;

    public string ApiName => ApiMessages.Find(ApiKey)?.Name ?? $"Api{ApiKey}";

    /// <summary>The version the response body is encoded at.</summary>
    public short ResponseBodyVersion =>
        ApiKey == ApiVersionsRequest.Key && Response is { Length: >= 6 } response
            && BinaryPrimitives.ReadInt16BigEndian(response.AsSpan(4)) == UnsupportedVersion
            ? (short)0
            : ApiVersion;
}
