using System.Buffers.Binary;
using L = PartnerZones.Protocol.Records.RecordBatchLayout;

namespace PartnerZones.Protocol.Records;

/// <summary>
/// Steps through the entries of a <c>records</c> field whatever their magic: every entry starts with
/// its offset (8 bytes) and length (4 bytes), and the magic byte sits at byte 16 (after magic 2's
/// partition leader epoch, or magic 0/1's CRC). For callers that handle magic-2 batches and step over older
/// entries whole (header rules, the producer-id check); <see cref="RecordBatchEnumerator"/> refuses any
/// magic but 2, which a fetch from a log written in an old format may still hold.
/// </summary>
public ref struct RecordEntries(ReadOnlySpan<byte> records)
{
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
        if (rest.Length < L.LogOverhead)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(rest[8..]);
        if (length < 0 || length > rest.Length - L.LogOverhead || L.LogOverhead + length <= L.Magic)
        {
            return false;
        }

        Start = Consumed;
        Size = L.LogOverhead + length;
        Magic = rest[L.Magic];
        Consumed += Size;
        return true;
    }
}
