using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Network;

/// <summary>Builds the frames the gateway sends to clients.</summary>
internal static class ResponseFrames
{
    /// <summary>A complete response frame (size prefix included) for the client's correlation id.</summary>
    public static byte[] Encode(int correlationId, short version, IKafkaResponse body)
    {
        using var writer = new KafkaWriter(256);
        FrameWriter.WriteResponse(writer, correlationId, version, body);
        return writer.ToArray();
    }

    /// <summary>An upstream response frame passed on unchanged except for the correlation id.</summary>
    public static byte[] Relay(int correlationId, KafkaFrame upstream)
    {
        var body = upstream.Memory.Span[4..];
        var frame = new byte[body.Length + 8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, body.Length + 4);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), correlationId);
        body.CopyTo(frame.AsSpan(8));
        return frame;
    }
}
