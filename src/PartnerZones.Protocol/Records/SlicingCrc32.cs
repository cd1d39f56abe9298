using System.Buffers.Binary;

namespace PartnerZones.Protocol.Records;

/// <summary>
/// Slicing-by-8 table CRC-32 for any reflected polynomial: eight 256-entry tables let each step fold
/// eight input bytes with eight lookups instead of eight dependent single-byte steps. CRC-32C uses it
/// where the CPU has no CRC instruction; the IEEE CRC-32 of magic 0/1 messages uses it always.
/// </summary>
internal sealed class SlicingCrc32
{
    // Table k maps a byte to its CRC contribution when k more zero bytes follow it.
    private readonly uint[] _tables;

    public SlicingCrc32(uint reflectedPolynomial) => _tables = Build(reflectedPolynomial);

    private static uint[] Build(uint reflectedPolynomial)
    {
        var tables = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ reflectedPolynomial : c >> 1;
            }

            tables[n] = c;
        }

        for (var n = 0; n < 256; n++)
        {
            var c = tables[n];
            for (var k = 1; k < 8; k++)
            {
                c = tables[(int)(c & 0xFF)] ^ (c >> 8);
                tables[(k * 256) + n] = c;
            }
        }

        return tables;
    }

    /// <summary>Advances the raw (already inverted) CRC register over <paramref name="data"/>.</summary>
    public uint Update(uint state, ReadOnlySpan<byte> data)
    {
        var t = _tables.AsSpan();
        var crc = state;
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[(7 * 256) + (int)(low & 0xFF)]
                ^ t[(6 * 256) + (int)((low >> 8) & 0xFF)]
                ^ t[(5 * 256) + (int)((low >> 16) & 0xFF)]
                ^ t[(4 * 256) + (int)(low >> 24)]
                ^ t[(3 * 256) + (int)(high & 0xFF)]
                ^ t[(2 * 256) + (int)((high >> 8) & 0xFF)]
                ^ t[256 + (int)((high >> 16) & 0xFF)]
                ^ t[(int)(high >> 24)];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = t[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        }

        return crc;
    }
}
