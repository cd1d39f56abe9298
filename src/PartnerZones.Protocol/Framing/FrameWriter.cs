using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Framing;

/// <summary>Builds complete frames (size prefix, header, body) into a <see cref="KafkaWriter"/>.</summary>
public static class FrameWriter
{
    public static void WriteRequest(KafkaWriter writer, RequestHeader header, IKafkaRequest body)
    {
        var sizeAt = writer.ReserveInt32();
        header.ApiKey = body.ApiKey;
        header.Write(writer);
        body.Write(writer, header.ApiVersion);
        writer.PatchInt32(sizeAt, writer.Position - sizeAt - 4);
    }

    public static void WriteResponse(KafkaWriter writer, int correlationId, short apiVersion, IKafkaResponse body)
    {
        var sizeAt = writer.ReserveInt32();
        new ResponseHeader { CorrelationId = correlationId }.Write(writer, HeaderVersions.Response(body.ApiKey, apiVersion));
        body.Write(writer, apiVersion);
        writer.PatchInt32(sizeAt, writer.Position - sizeAt - 4);
    }
}
