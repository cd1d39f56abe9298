namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum of magic 0 and 1 messages,
/// which predate the CRC-32C of magic-2 batches. Legacy traffic is rare, so the portable table is
/// enough; the hardware CRC instructions only compute CRC-32C.
/// </summary>
internal static class LegacyCrc32
{
    private static readonly SlicingCrc32 Table = new(0xEDB88320);

    public static uint Compute(ReadOnlySpan<byte> data) => ~Table.Update(~0u, data);
}
