using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Network;

/// <summary>Builds the frames the gateway sends to clients.</summary>
internal static class ResponseFrames
{
    /// <summary>Largest buffer a thread keeps between responses; a bigger one goes back to the pool after use.</summary>
    private const int RetainedBytes = 8 * 1024 * 1024;

    /// <summary>Each thread's writer, kept between responses. A Fetch response of several MB written into
    /// a fresh writer would double its way up from a few hundred bytes, copying everything written so far
    /// at every step (about one more copy of the records per response); a kept writer is already big enough.</summary>
    [ThreadStatic]
    private static KafkaWriter? t_writer;

    /// <summary>A complete response frame (size prefix included) for the client's correlation id.</summary>
    public static byte[] Encode(int correlationId, short version, IKafkaResponse body)
    {
        // Encoding is synchronous, so the thread's writer cannot be in use by another response meanwhile.
        var writer = t_writer ?? new KafkaWriter(64 * 1024);
        t_writer = null;
        writer.Reset();
        FrameWriter.WriteResponse(writer, correlationId, version, body);
        var frame = writer.ToArray();
        if (frame.Length + writer.GetSpan().Length <= RetainedBytes)
        {
            t_writer = writer;
        }
        else
        {
            writer.Dispose();
        }

        return frame;
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
