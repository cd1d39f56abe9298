using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Network;

/// <summary>
/// A response on its way to the client, written by the session's write loop straight into the
/// connection's pipe, so no response becomes an array of its own (a multi-MB Fetch response used to be
/// a large-object allocation, then copied again into the pipe). Whoever holds one disposes it exactly
/// once: the write loop after writing it, or the session when the client left before it was written.
/// Disposing releases the upstream frames the response still slices.
/// </summary>
internal abstract class OutgoingFrame : IDisposable
{
    /// <summary>A frame built already (small local answers: ApiVersions, SASL).</summary>
    public static OutgoingFrame Prebuilt(byte[] frame) => new PrebuiltFrame(frame);

    /// <summary>A decoded response to encode at <paramref name="version"/> for the client's correlation id.
    /// Its byte fields may slice <paramref name="slices"/>, which this frame now owns and releases.</summary>
    public static OutgoingFrame Encode(int correlationId, short version, IKafkaResponse response, params IReadOnlyList<KafkaFrame> slices) =>
        new EncodedFrame(correlationId, version, response, slices);

    /// <summary>An upstream response frame passed on unchanged except for the correlation id; this frame owns it.</summary>
    public static OutgoingFrame Relay(int correlationId, KafkaFrame upstream) => new RelayedFrame(correlationId, upstream);

    /// <summary>Writes the whole frame (size prefix included) into <paramref name="output"/> without flushing;
    /// returns its length in bytes.</summary>
    public abstract int WriteTo(PipeWriter output);

    public virtual void Dispose()
    {
    }

    private sealed class PrebuiltFrame(byte[] frame) : OutgoingFrame
    {
        public override int WriteTo(PipeWriter output)
        {
            output.Write(frame);
            return frame.Length;
        }
    }

    private sealed class EncodedFrame(int correlationId, short version, IKafkaResponse response, IReadOnlyList<KafkaFrame> slices) : OutgoingFrame
    {
        private IReadOnlyList<KafkaFrame>? _slices = slices;

        public override int WriteTo(PipeWriter output)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _slices) is null, this);
            return ResponseFrames.Write(output, correlationId, version, response);
        }

        public override void Dispose()
        {
            if (Interlocked.Exchange(ref _slices, null) is { } owned)
            {
                foreach (var frame in owned)
                {
                    frame.Dispose();
                }
            }
        }
    }

    private sealed class RelayedFrame(int correlationId, KafkaFrame upstream) : OutgoingFrame
    {
        private KafkaFrame? _upstream = upstream;

        public override int WriteTo(PipeWriter output)
        {
            var frame = Volatile.Read(ref _upstream) ?? throw new ObjectDisposedException(nameof(RelayedFrame));
            // The upstream frame is header and body without the size; only its correlation id changes.
            var body = frame.Memory.Span[4..];
            var head = output.GetSpan(8);
            BinaryPrimitives.WriteInt32BigEndian(head, body.Length + 4);
            BinaryPrimitives.WriteInt32BigEndian(head[4..], correlationId);
            output.Advance(8);
            output.Write(body);
            return body.Length + 8;
        }

        public override void Dispose() => Interlocked.Exchange(ref _upstream, null)?.Dispose();
    }
}
