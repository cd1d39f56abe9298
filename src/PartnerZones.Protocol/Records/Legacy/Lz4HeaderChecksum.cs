using System.Buffers.Binary;
using K4os.Hash.xxHash;

namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// The header checksum byte of an LZ4 frame: the second byte of the xxHash32 of the frame
/// descriptor. Kafka before 0.10 hashed the 4-byte frame magic along with the descriptor, and for
/// compatibility Kafka still writes that wrong byte into magic-0 messages (and does not check it
/// when reading them); magic-1 messages carry the correct one. Our LZ4 codec writes and expects the
/// correct byte, so legacy frames are fixed up here on the way in and out.
/// </summary>
internal static class Lz4HeaderChecksum
{
    private const uint FrameMagic = 0x184D2204;
    private const int DescriptorStart = 4;
    private const int ContentSizeFlag = 0x08;
    private const int DictionaryIdFlag = 0x01;

    /// <summary>Where the checksum byte sits, or -1 when the bytes are no LZ4 frame header.</summary>
    public static int Position(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < DescriptorStart + 3 || BinaryPrimitives.ReadUInt32LittleEndian(frame) != FrameMagic)
        {
            return -1;
        }

        // FLG and BD, then the optional content size and dictionary id that FLG announces.
        var flags = frame[DescriptorStart];
        var position = DescriptorStart + 2 + ((flags & ContentSizeFlag) != 0 ? 8 : 0) + ((flags & DictionaryIdFlag) != 0 ? 4 : 0);
        return position < frame.Length ? position : -1;
    }

    /// <summary>The checksum the LZ4 frame format defines: over the descriptor only.</summary>
    public static byte Correct(ReadOnlySpan<byte> frame, int position) => Hash(frame[DescriptorStart..position]);

    /// <summary>The checksum old Kafka computed: over the frame magic and the descriptor.</summary>
    public static byte Broken(ReadOnlySpan<byte> frame, int position) => Hash(frame[..position]);

    private static byte Hash(ReadOnlySpan<byte> bytes) => (byte)((XXH32.DigestOf(bytes) >> 8) & 0xFF);
}
