using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Golden;

/// <summary>Decodes a capture's header and body, requiring that nothing is left over.</summary>
public static class GoldenDecoder
{
    public static (RequestHeader Header, T Body) Request<T>(CaptureFile capture)
        where T : IKafkaRequest, new()
    {
        Assert.True(capture.IsRequest, $"{capture} is not a request");
        var reader = new KafkaReader(capture.Frame);
        var header = RequestHeader.Read(ref reader);
        var body = new T();
        Assert.Equal(capture.ApiKey, body.ApiKey);
        body.Read(ref reader, capture.BodyVersion);
        Assert.True(reader.End, $"{capture}: {reader.Remaining} bytes left after the body");
        return (header, body);
    }

    public static (ResponseHeader Header, T Body) Response<T>(CaptureFile capture)
        where T : IKafkaResponse, new()
    {
        Assert.False(capture.IsRequest, $"{capture} is not a response");
        var reader = new KafkaReader(capture.Frame);
        var header = ResponseHeader.Read(ref reader, HeaderVersions.Response(capture.ApiKey, capture.Version));
        var body = new T();
        Assert.Equal(capture.ApiKey, body.ApiKey);
        body.Read(ref reader, capture.BodyVersion);
        Assert.True(reader.End, $"{capture}: {reader.Remaining} bytes left after the body");
        return (header, body);
    }
}
