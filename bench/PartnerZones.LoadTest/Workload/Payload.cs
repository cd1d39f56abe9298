using System.Buffers.Binary;

namespace PartnerZones.LoadTest.Workload;

/// <summary>
/// Record values: a fixed filler with the record's index stamped at both ends, so the consumer can
/// tell every record apart, count duplicates and catch truncated or mixed-up values without paying for
/// a full comparison per record (that would slow the consumer being measured).
/// </summary>
internal static class Payload
{
    public const int MinimumSize = 16;

    public static byte[] Create(int size)
    {
        var value = new byte[size];
        new Random(1024).NextBytes(value);
        return value;
    }

    /// <summary>Stamps <paramref name="index"/> into <paramref name="value"/>. The producer copies the value
    /// when it accepts a record, so one buffer is re-stamped for every record.</summary>
    public static void Stamp(byte[] value, int index)
    {
        BinaryPrimitives.WriteInt64LittleEndian(value, index);
        BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(value.Length - 8), ~(long)index);
    }

    /// <summary>The stamped index, or -1 when the value has the wrong size or its two stamps disagree.</summary>
    public static int Read(ReadOnlySpan<byte> value, int expectedSize)
    {
        if (value.Length != expectedSize)
        {
            return -1;
        }

        var head = BinaryPrimitives.ReadInt64LittleEndian(value);
        var tail = BinaryPrimitives.ReadInt64LittleEndian(value[^8..]);
        return head == ~tail && head is >= 0 and <= int.MaxValue ? (int)head : -1;
    }
}
