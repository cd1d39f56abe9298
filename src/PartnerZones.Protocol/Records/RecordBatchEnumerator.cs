using System.Buffers.Binary;
using L = PartnerZones.Protocol.Records.RecordBatchLayout;

namespace PartnerZones.Protocol.Records;

/// <summary>
/// Walks the batches of a <c>records</c> field (batches laid end to end) without copying. A fetch
/// response may end in a partial batch (the broker cuts at the byte limit): iteration then stops
/// cleanly and <see cref="HasPartialTail"/> says so; whether that is an error is the caller's call
/// (it is in a produce request, it is not in a fetch response). Framing that cannot be a cut-off
/// batch (a too-small length, a magic other than 2) throws the decode exception.
/// </summary>
public ref struct RecordBatchEnumerator
{
    private readonly ReadOnlyMemory<byte> _records;
    private int _next;
    private int _currentStart;
    private int _currentSize;

    public RecordBatchEnumerator(ReadOnlyMemory<byte> records)
    {
        _records = records;
        _next = 0;
        _currentStart = 0;
        _currentSize = 0;
        HasPartialTail = false;
    }

    /// <summary>The current batch as a header view.</summary>
    public readonly RecordBatchHeader Current =>
        RecordBatchHeader.Read(_records.Span.Slice(_currentStart, _currentSize));

    /// <summary>The current batch's bytes, for decoding or forwarding without a copy.</summary>
    public readonly ReadOnlyMemory<byte> CurrentMemory => _records.Slice(_currentStart, _currentSize);

    /// <summary>Where the current batch starts within the record set.</summary>
    public readonly int CurrentPosition => _currentStart;

    /// <summary>Bytes taken by the complete batches seen so far.</summary>
    public readonly int Consumed => _next;

    /// <summary>True once iteration stopped at trailing bytes too few to be a whole batch.</summary>
    public bool HasPartialTail { get; private set; }

    public readonly RecordBatchEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var rest = _records.Span[_next..];
        if (rest.IsEmpty)
        {
            return false;
        }

        if (rest.Length < L.LogOverhead)
        {
            HasPartialTail = true;
            return false;
        }

        var batchLength = BinaryPrimitives.ReadInt32BigEndian(rest[L.BatchLength..]);
        if (batchLength < L.MinBatchLength)
        {
            throw RecordErrors.Malformed("batchLength", $"batch at byte {_next} has batchLength {batchLength}, smaller than the {L.MinBatchLength}-byte header");
        }

        if (batchLength > rest.Length - L.LogOverhead)
        {
            HasPartialTail = true;
            return false;
        }

        // Complete: Read checks the magic; the length checks above already passed.
        var size = RecordBatchHeader.CheckedSize(rest);
        _currentStart = _next;
        _currentSize = size;
        _next += size;
        return true;
    }
}
