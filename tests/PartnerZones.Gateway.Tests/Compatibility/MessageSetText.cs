using System.Buffers.Binary;
using K4os.Hash.xxHash;
using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>
/// Magic 0/1 message sets as one line per top-level entry, so an expected and an actual set compare with
/// Assert.Equal and a difference names the entry. An uncompressed message is its exact bytes in hex (offset,
/// size, CRC and all). A wrapper's compressed bytes depend on the compressor, so it is its header fields, its
/// decompressed inner message set in hex (exact bytes again) and, for LZ4, which frame header checksum it
/// carries: Kafka writes old Kafka's wrong one into magic 0 and the correct one into magic 1.
/// </summary>
public static class MessageSetText
{
    public static string Message(byte[] entry) => $"message {Convert.ToHexString(entry)}";

    public static string Wrapper(long offset, byte magic, byte attributes, long timestamp, byte[] innerSet) =>
        $"wrapper offset {offset} magic {magic} attributes 0x{attributes:X2} timestamp {(magic == 0 ? -1 : timestamp)} key null"
        + Lz4Note((RecordCompression)(attributes & 7), magic == 0 ? "old Kafka's" : "correct")
        + $" inner {Convert.ToHexString(innerSet)}";

    /// <summary>The lines of an actual message set. Every CRC is checked (bit by bit) on the way.</summary>
    public static List<string> Of(ReadOnlySpan<byte> set)
    {
        var lines = new List<string>();
        while (!set.IsEmpty)
        {
            Assert.True(set.Length >= 12, $"{set.Length} bytes left after {lines.Count} entries: a cut-off entry");
            var length = 12 + BinaryPrimitives.ReadInt32BigEndian(set[8..]);
            Assert.InRange(length, 12, set.Length);
            var entry = set[..length].ToArray();
            var message = Assert.Single(LegacyBytes.Parse(entry));
            if (message.Codec == RecordCompression.None)
            {
                lines.Add(Message(entry));
            }
            else
            {
                Assert.Null(message.Key);
                var inner = LegacyBytes.Decompress(message.Codec, message.Value!);
                lines.Add($"wrapper offset {message.Offset} magic {message.Magic} attributes 0x{message.Attributes:X2} timestamp {message.Timestamp} key null"
                    + Lz4Note(message.Codec, message.Codec == RecordCompression.Lz4 ? Lz4Checksum(message.Value!) : "")
                    + $" inner {Convert.ToHexString(inner)}");
            }

            set = set[length..];
        }

        return lines;
    }

    private static string Lz4Note(RecordCompression codec, string checksum) => codec == RecordCompression.Lz4 ? $" lz4 header checksum {checksum}" : "";

    /// <summary>Which header checksum an LZ4 frame carries: the second byte of the xxHash32 of its descriptor
    /// (correct), or of the frame magic and the descriptor (old Kafka's).</summary>
    private static string Lz4Checksum(byte[] frame)
    {
        const int descriptor = 4;
        var flags = frame[descriptor];
        var at = descriptor + 2 + ((flags & 0x08) != 0 ? 8 : 0) + ((flags & 0x01) != 0 ? 4 : 0);
        var correct = (byte)(XXH32.DigestOf(frame.AsSpan(descriptor, at - descriptor)) >> 8);
        var old = (byte)(XXH32.DigestOf(frame.AsSpan(0, at)) >> 8);
        return frame[at] == correct ? "correct" : frame[at] == old ? "old Kafka's" : $"0x{frame[at]:X2}, neither";
    }
}
