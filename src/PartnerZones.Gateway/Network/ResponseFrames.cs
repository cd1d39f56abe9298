using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
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

    /// <summary>A complete response frame (size prefix included) for the client's correlation id, as an
    /// array: only for small answers built before they are queued (ApiVersions, SASL).</summary>
    public static byte[] Encode(int correlationId, short version, IKafkaResponse body)
    {
        var writer = Take();
        try
        {
            FrameWriter.WriteResponse(writer, correlationId, version, body);
            return writer.ToArray();
        }
        finally
        {
            Give(writer);
        }
    }

    /// <summary>Encodes a complete response frame into a kept writer and copies it once into
    /// <paramref name="output"/> (not flushed); returns its length. The encoder needs one contiguous buffer
    /// (the size and array counts are patched in after the fact), which a pipe's segments are not.</summary>
    public static int Write(PipeWriter output, int correlationId, short version, IKafkaResponse body)
    {
        var writer = Take();
        try
        {
            FrameWriter.WriteResponse(writer, correlationId, version, body);
            output.Write(writer.WrittenSpan);
            return writer.Position;
        }
        finally
        {
            Give(writer);
        }
    }

    private static KafkaWriter Take()
    {
        if (Kept.TryDequeue(out var writer))
        {
            Interlocked.Decrement(ref s_kept);
            writer.Reset();
            return writer;
        }

        return new KafkaWriter(64 * 1024);
    }

    private static void Give(KafkaWriter writer)
    {
        // Position is what was written, so this is the writer's whole capacity.
        var capacity = writer.Position + writer.GetSpan().Length;
        if (capacity > RetainedBytes || !TryKeep(writer))
        {
            writer.Dispose();
        }
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
}
