using System.Runtime.InteropServices;

namespace PartnerZones.EmbeddedKafka.Storage;

/// <summary>
/// Gathers whole batches for one read across segments: stops at the first batch at or past the upper
/// offset, or that would take the total past the byte limit, except that the first batch is always
/// taken so a batch larger than the limit is never stuck (KIP-74). One per log, used under its lock.
/// </summary>
internal sealed class ReadCollector
{
    private readonly List<ReadOnlyMemory<byte>> _pieces = [];
    private long _upTo;
    private bool _ownedSingle;

    public int MaxBytes { get; private set; }

    public int Total { get; private set; }

    /// <summary>A batch was refused: later segments have nothing more to add.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Bytes left under the limit (the first batch may exceed it).</summary>
    public long Budget => Math.Max(0, (long)MaxBytes - Total);

    public void Reset(int maxBytes, long upTo)
    {
        _pieces.Clear();
        MaxBytes = Math.Max(0, maxBytes);
        _upTo = upTo;
        Total = 0;
        Stopped = false;
        _ownedSingle = false;
    }

    /// <summary>Whether the batch at <paramref name="baseOffset"/> of <paramref name="size"/> bytes is
    /// taken; a refusal ends the read.</summary>
    public bool Accepts(long baseOffset, int size)
    {
        if (baseOffset >= _upTo || (Total > 0 && (long)Total + size > MaxBytes))
        {
            Stopped = true;
            return false;
        }

        return true;
    }

    /// <summary>Adds bytes the log keeps (they are copied out).</summary>
    public void Add(ReadOnlyMemory<byte> batch)
    {
        _pieces.Add(batch);
        Total += batch.Length;
        _ownedSingle = false;
    }

    /// <summary>Adds the first <paramref name="length"/> bytes of an array made for this read; when it is
    /// the only piece and exactly filled it is returned without a copy.</summary>
    public void AddOwned(byte[] buffer, int length)
    {
        _pieces.Add(buffer.AsMemory(0, length));
        Total += length;
        _ownedSingle = _pieces.Count == 1 && length == buffer.Length;
    }

    /// <summary>Marks the read complete (a segment ran out of budget mid-way).</summary>
    public void Stop() => Stopped = true;

    public byte[] ToArray()
    {
        if (_pieces.Count == 0)
        {
            return [];
        }

        if (_ownedSingle && MemoryMarshal.TryGetArray(_pieces[0], out var segment) && segment.Array is { } owned)
        {
            _pieces.Clear();
            return owned;
        }

        var result = new byte[Total];
        var at = 0;
        foreach (var piece in _pieces)
        {
            piece.Span.CopyTo(result.AsSpan(at));
            at += piece.Length;
        }

        _pieces.Clear();
        return result;
    }
}
