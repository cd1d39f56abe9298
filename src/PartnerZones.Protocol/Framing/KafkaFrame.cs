using System.Buffers;

namespace PartnerZones.Protocol.Framing;

/// <summary>One size-delimited frame (header and body, without the 4-byte size) in a pooled buffer.
/// Dispose returns the buffer; nothing decoded from <see cref="Memory"/> may be used after that.</summary>
public sealed class KafkaFrame : IDisposable
{
    private byte[]? _buffer;
    private bool _pooled = true;

    internal KafkaFrame(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory =>
        _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(KafkaFrame));

    /// <summary>A frame over a caller-owned array (tests, replay of captures); nothing is returned to the pool.</summary>
    public static KafkaFrame FromArray(byte[] body) => new(body, body.Length) { _pooled = false };

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
