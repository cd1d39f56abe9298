using System.Buffers;

namespace PartnerZones.Protocol.Records.Compression;

/// <summary>
/// Collects decompressed bytes in a pooled buffer that grows only as output actually arrives and
/// never past the caller's limit: a small input that inflates without end (a decompression bomb)
/// fails at the limit instead of exhausting memory.
/// </summary>
internal sealed class BoundedBuffer : IDisposable
{
    private const int MinimumGrowth = 4096;

    private readonly int _limit;
    private readonly string _codec;
    private byte[] _buffer;
    private int _length;

    public BoundedBuffer(int limit, long expectedSize, string codec)
    {
        // One byte of room past the limit is how "more than the limit" is seen.
        _limit = Math.Min(limit, Array.MaxLength - 1);
        _codec = codec;
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(expectedSize, MinimumGrowth), _limit + 1L));
    }

    public int Length => _length;

    /// <summary>Free space for the next write (never empty, never reaching more than one byte past the limit).</summary>
    public Span<byte> FreeSpan()
    {
        if (_length == _buffer.Length)
        {
            var size = (int)Math.Min((long)_buffer.Length * 2, _limit + 1L);
            var next = ArrayPool<byte>.Shared.Rent(size);
            _buffer.AsSpan(0, _length).CopyTo(next);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = next;
        }

        return _buffer.AsSpan(_length, Math.Min(_buffer.Length, _limit + 1) - _length);
    }

    public void Advance(int count)
    {
        _length += count;
        if (_length > _limit)
        {
            throw RecordErrors.Malformed("records", $"{_codec} data decompresses to more than the {_limit}-byte limit (maxDecompressedBytes)");
        }
    }

    /// <summary>Reads <paramref name="source"/> to its end.</summary>
    public void ReadToEnd(Stream source)
    {
        int read;
        while ((read = source.Read(FreeSpan())) > 0)
        {
            Advance(read);
        }
    }

    /// <summary>The output as an exact-size array the decoded records can keep slices of.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
