using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Framing;

public sealed class HeaderTests
{
    [Theory]
    [InlineData(18, 0, 1, 0)] // ApiVersions: response header is always v0
    [InlineData(18, 3, 2, 0)]
    [InlineData(3, 8, 1, 0)]  // Metadata v8 is not flexible
    [InlineData(3, 9, 2, 1)]  // Metadata v9 is the first flexible version
    public void Header_versions_follow_flexibility(short apiKey, short apiVersion, short request, short response)
    {
        Assert.Equal(request, HeaderVersions.Request(apiKey, apiVersion));
        Assert.Equal(response, HeaderVersions.Response(apiKey, apiVersion));
    }

    [Fact]
    public void Request_header_v2_keeps_a_classic_client_id_and_tagged_fields()
    {
        // Metadata v12: header v2. Client id "ab" is a classic int16-length string even here.
        byte[] bytes = [0, 3, 0, 12, 0, 0, 0, 7, 0, 2, (byte)'a', (byte)'b', 1, 5, 1, 0x2A];
        var reader = new KafkaReader(bytes);
        var header = RequestHeader.Read(ref reader);
        Assert.Equal(3, header.ApiKey);
        Assert.Equal(12, header.ApiVersion);
        Assert.Equal(7, header.CorrelationId);
        Assert.Equal("ab", header.ClientId);
        Assert.Equal(5, Assert.Single(header.UnknownTaggedFields!).Tag);
        Assert.True(reader.End);

        using var writer = new KafkaWriter();
        header.Write(writer);
        Assert.Equal(bytes, writer.ToArray());
    }

    [Fact]
    public void Response_frame_has_size_correlation_and_body()
    {
        using var writer = new KafkaWriter();
        var body = new ApiVersionsResponse { ErrorCode = 35 };
        FrameWriter.WriteResponse(writer, correlationId: 9, apiVersion: 3, body);
        var bytes = writer.ToArray();

        var reader = new KafkaReader(bytes);
        Assert.Equal(bytes.Length - 4, reader.ReadInt32());
        var header = ResponseHeader.Read(ref reader, HeaderVersions.Response(ApiVersionsRequest.Key, 3));
        Assert.Equal(9, header.CorrelationId);
        var decoded = new ApiVersionsResponse();
        decoded.Read(ref reader, 3);
        Assert.Equal(35, decoded.ErrorCode);
        Assert.True(reader.End);
    }
}
