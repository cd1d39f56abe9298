using System.Collections.Concurrent;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Gateway.Network;

/// <summary>Builds the frames the gateway sends to clients.</summary>
internal static class ResponseFrames
{
    /// <summary>Largest buffer kept between responses; a bigger one goes back to the pool after use.</summary>
    private const int RetainedBytes = 8 * 1024 * 1024;

    /// <summary>Writers kept between responses, at most one per core (a few MB each). A Fetch response of
    /// several MB written into a fresh writer would double its way up from a few hundred bytes, copying
    /// everything written so far at every step (about one more copy of the records per response); a kept
    /// writer is already big enough. Shared rather than one per thread, so the many thread-pool threads
    /// that encode now and then do not each hold one.</summary>
    private static readonly ConcurrentQueue<KafkaWriter> Kept = new();

    private static int s_kept;

    /// <summary>A complete response frame (size prefix included) for the client's correlation id.</summary>
    public static byte[] Encode(int correlationId, short version, IKafkaResponse body)
    {
        if (Kept.TryDequeue(out var writer))
        {
            Interlocked.Decrement(ref s_kept);
            writer.Reset();
        }
        else
        {
            writer = new KafkaWriter(64 * 1024);
        }

        byte[] frame;
        try
        {
            FrameWriter.WriteResponse(writer, correlationId, version, body);
            frame = writer.ToArray();
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        // Position is the frame's length, so this is the writer's whole capacity.
        var capacity = frame.Length + writer.GetSpan().Length;
        if (capacity > RetainedBytes || !TryKeep(writer))
        {
            writer.Dispose();
        }

        return frame;
    }

    private static bool TryKeep(KafkaWriter writer)
    {
        if (Interlocked.Increment(ref s_kept) > Environment.ProcessorCount)
        {
            Interlocked.Decrement(ref s_kept);
            return false;
        }

        Kept.Enqueue(writer);
        return true;
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
