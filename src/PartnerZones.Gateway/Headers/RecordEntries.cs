using System.Buffers.Binary;

namespace PartnerZones.Gateway.Headers;

/// <summary>
/// Steps through the entries of a <c>records</c> field whatever their magic: every entry starts with
/// its offset (8 bytes) and length (4 bytes), and the magic byte sits at byte 16 (after magic 2's
/// partition leader epoch, or magic 0/1's CRC). Header rules only edit magic-2 batches; older
/// entries have no headers and are stepped over whole.
/// </summary>
internal ref struct RecordEntries(ReadOnlySpan<byte> records)
{
    private const int EntryOverhead = 12;
    private const int MagicOffset = 16;

    private readonly ReadOnlySpan<byte> _records = records;

    public int Start { get; private set; }

    public int Size { get; private set; }

    public byte Magic { get; private set; }

    /// <summary>Bytes taken by the whole entries seen so far; what follows once <see cref="MoveNext"/>
    /// returned false is a cut-off entry (empty when the field ended cleanly).</summary>
    public int Consumed { get; private set; }

    public bool MoveNext()
    {
        var rest = _records[Consumed..];
        if (rest.Length < EntryOverhead)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(rest[8..]);
        if (length < 0 || length > rest.Length - EntryOverhead || EntryOverhead + length <= MagicOffset)
        {
            return false;
        }

        Start = Consumed;
        Size = EntryOverhead + length;
        Magic = rest[MagicOffset];
        Consumed += Size;
        return true;
    }
}
