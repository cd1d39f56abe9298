using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// Walks the batches of a segment file through a pooled buffer, checking only framing (length, magic);
/// CRCs are the caller's business. In header mode it reads just enough to see each header; in whole mode
/// <see cref="Current"/> spans the whole batch. The walk stops at the first bytes that cannot be a
/// whole batch and says why in <see cref="Problem"/>: a torn tail after a crash ends this way.
/// </summary>
internal sealed class BatchFileReader : IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly long _end;
    private readonly bool _whole;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;
    private long _next;

    public BatchFileReader(SafeFileHandle handle, long start, long end, bool wholeBatches)
    {
        _handle = handle;
        _next = start;
        _end = end;
        _whole = wholeBatches;
        _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    }

    /// <summary>File position of the current batch.</summary>
    public long Position { get; private set; } = -1;

    /// <summary>Total size of the current batch.</summary>
    public int Size { get; private set; }

    /// <summary>Where the walk stopped when it stopped before the end; null when it reached the end.</summary>
    public string? Problem { get; private set; }

    /// <summary>Position just after the last whole batch seen.</summary>
    public long ValidEnd => Position < 0 ? _next : Position + Size;

    /// <summary>The whole current batch (whole mode) or at least its header.</summary>
    public ReadOnlySpan<byte> Current => CurrentMemory.Span;

    public ReadOnlyMemory<byte> CurrentMemory =>
        _buffer.AsMemory((int)(Position - _bufferStart), _whole ? Size : Math.Min(Size, BatchFields.HeaderSize));

    public bool MoveNext()
    {
        var left = _end - _next;
        if (left <= 0)
        {
            return false;
        }

        if (left < BatchFields.HeaderSize)
        {
            Problem = $"{left} bytes at byte {_next} are too few for a batch header";
            return false;
        }

        Fill(_next, BatchFields.HeaderSize);
        var header = _buffer.AsSpan((int)(_next - _bufferStart), BatchFields.HeaderSize);
        var batchLength = BatchFields.BatchLength(header);
        if (batchLength < BatchFields.MinBatchLength)
        {
            Problem = $"the batch at byte {_next} claims an impossible length {batchLength}";
            return false;
        }

        if (batchLength > left - BatchFields.LogOverhead)
        {
            Problem = $"the batch at byte {_next} claims {batchLength + BatchFields.LogOverhead} bytes but only {left} remain";
            return false;
        }

        if (header[BatchFields.MagicAt] != BatchFields.Magic)
        {
            Problem = $"the batch at byte {_next} has magic {(sbyte)header[BatchFields.MagicAt]}, not 2";
            return false;
        }

        var size = batchLength + BatchFields.LogOverhead;
        if (_whole)
        {
            Fill(_next, size);
        }

        Position = _next;
        Size = size;
        _next += size;
        return true;
    }

    /// <summary>Makes [position, position + count) present in the buffer, reading ahead a chunk.</summary>
    private void Fill(long position, int count)
    {
        if (position >= _bufferStart && position + count <= _bufferStart + _bufferLength)
        {
            return;
        }

        if (count > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(count);
        }

        var length = (int)Math.Min(_buffer.Length, _end - position);
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(_handle, _buffer.AsSpan(read, length - read), position + read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        if (read < count)
        {
            throw new IOException($"The file ended at byte {position + read} while reading {count} bytes at {position}.");
        }

        _bufferStart = position;
        _bufferLength = read;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
