using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records.Compression;

namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// Compresses and decompresses the inner message set of a magic 0/1 wrapper message with the codecs
/// magic-2 batches use: the bytes are the same (gzip stream, xerial-framed snappy, LZ4 frame) except
/// for the LZ4 header checksum of magic 0 (see <see cref="Lz4HeaderChecksum"/>). zstd did not exist
/// before magic 2.
/// </summary>
internal static class LegacyCompression
{
    public static void Compress(RecordCompression codec, byte magic, ReadOnlySpan<byte> messages, KafkaWriter output)
    {
        var start = output.Position;
        RecordCompressor.Compress(codec, messages, output);
        if (codec == RecordCompression.Lz4 && magic == 0)
        {
            var frame = output.WrittenSpan[start..];
            var position = Lz4HeaderChecksum.Position(frame);
            output.PatchByte(start + position, Lz4HeaderChecksum.Broken(frame, position));
        }
    }

    /// <summary>The inner message set of a wrapper, decompressed (at most <paramref name="limit"/> bytes).</summary>
    public static byte[] Decompress(RecordCompression codec, byte magic, ReadOnlyMemory<byte> compressed, int limit)
    {
        if (codec == RecordCompression.Lz4)
        {
            compressed = WithCorrectLz4Checksum(compressed, magic);
        }

        try
        {
            return RecordCompressor.Decompress(codec, compressed, limit);
        }
        catch (KafkaDecodeException e)
        {
            throw LegacyErrors.Corrupt($"the magic-{magic} wrapper message's value does not decompress: {e.Problem}");
        }
    }

    /// <summary>Magic 0 frames carry old Kafka's checksum (Kafka does not check it there); magic 1
    /// frames should carry the right one, and old Kafka's is accepted too since some clients kept it.</summary>
    private static ReadOnlyMemory<byte> WithCorrectLz4Checksum(ReadOnlyMemory<byte> compressed, byte magic)
    {
        var frame = compressed.Span;
        var position = Lz4HeaderChecksum.Position(frame);
        if (position < 0)
        {
            throw LegacyErrors.Corrupt($"the magic-{magic} wrapper message's value is not an LZ4 frame");
        }

        var correct = Lz4HeaderChecksum.Correct(frame, position);
        if (frame[position] == correct)
        {
            return compressed;
        }

        if (magic > 0 && frame[position] != Lz4HeaderChecksum.Broken(frame, position))
        {
            throw LegacyErrors.Corrupt($"the LZ4 frame header checksum 0x{frame[position]:X2} matches neither the correct 0x{correct:X2} nor old Kafka's");
        }

        var copy = compressed.ToArray();
        copy[position] = correct;
        return copy;
    }
}
