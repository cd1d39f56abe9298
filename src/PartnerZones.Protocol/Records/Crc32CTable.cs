namespace PartnerZones.Protocol.Records;

/// <summary>The table-driven CRC-32C for machines without a CRC instruction (see <see cref="SlicingCrc32"/>).</summary>
internal static class Crc32CTable
{
    private static readonly SlicingCrc32 Table = new(0x82F63B78);

    /// <summary>Advances the raw (already inverted) CRC register over <paramref name="data"/>.</summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data) => Table.Update(state, data);
}
