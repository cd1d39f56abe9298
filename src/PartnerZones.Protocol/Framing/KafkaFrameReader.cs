using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace PartnerZones.Protocol.Framing;

/// <summary>
/// Reads size-prefixed Kafka frames from a pipe. The size is checked against <see cref="MaxFrameSize"/>
/// as soon as its 4 bytes arrive, before any of the body is buffered; the frame buffer then grows only
/// as bytes actually arrive, so a peer that claims a large frame and sends nothing costs nothing.
/// The body is moved out of the pipe as it arrives, so frames larger than the pipe's own buffer limits
/// never stall the connection.
/// </summary>
public sealed class KafkaFrameReader(PipeReader input, int maxFrameSize)
{
    private const int InitialChunk = 16 * 1024;

    /// <summary>Largest frame accepted; small before authentication, raised after it.</summary>
    public int MaxFrameSize { get; set; } = maxFrameSize;

    /// <summary>The next frame, or null when the peer closed the stream between frames.</summary>
    /// <exception cref="FrameTooLargeException">The size prefix is negative or over the limit.</exception>
    /// <exception cref="EndOfStreamException">The peer closed the stream in the middle of a frame.</exception>
    public async ValueTask<KafkaFrame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        int size;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                size = ReadSize(buffer);
                if (size < 0 || size > MaxFrameSize)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    throw new FrameTooLargeException(size, MaxFrameSize);
                }

                if (buffer.Length - 4 >= size)
                {
                    // Fast path: the whole frame is already here.
                    var whole = buffer.Slice(4, size);
                    var array = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
                    whole.CopyTo(array);
                    input.AdvanceTo(whole.End);
                    return new KafkaFrame(array, size);
                }

                input.AdvanceTo(buffer.GetPosition(4));
                break;
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                if (buffer.Length == 0)
                {
                    return null;
                }

                throw new EndOfStreamException($"Connection closed inside a frame size prefix ({buffer.Length} of 4 bytes).");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }

        return await ReadBodyAsync(size, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<KafkaFrame> ReadBodyAsync(int size, CancellationToken cancellationToken)
    {
        var array = ArrayPool<byte>.Shared.Rent(Math.Min(size, InitialChunk));
        var filled = 0;
        try
        {
            while (filled < size)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var take = (int)Math.Min(buffer.Length, size - filled);
                if (take > 0)
                {
                    if (array.Length < filled + take)
                    {
                        array = Grow(array, filled, Math.Min(size, Math.Max(array.Length * 2, filled + take)));
                    }

                    buffer.Slice(0, take).CopyTo(array.AsSpan(filled));
                    filled += take;
                }

                input.AdvanceTo(buffer.GetPosition(take));
                if (filled < size && result.IsCompleted)
                {
                    throw new EndOfStreamException($"Connection closed after {filled} of {size} frame bytes.");
                }
            }

            return new KafkaFrame(array, size);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
    }

    private static byte[] Grow(byte[] array, int filled, int capacity)
    {
        var next = ArrayPool<byte>.Shared.Rent(capacity);
        array.AsSpan(0, filled).CopyTo(next);
        ArrayPool<byte>.Shared.Return(array);
        return next;
    }

    private static int ReadSize(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        return BinaryPrimitives.ReadInt32BigEndian(prefix);
    }
}
