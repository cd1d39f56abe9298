using System.Buffers.Binary;
using PartnerZones.Protocol.Primitives;
using Snappier;

namespace PartnerZones.Protocol.Records.Compression;

/// <summary>
/// Kafka's snappy codec. The Java client writes snappy-java's "xerial" framing: an 8-byte magic
/// (0x82 "SNAPPY" 0x00), a big-endian int32 version and minimum compatible version (both 1), then
/// blocks, each a big-endian int32 length and one raw snappy block. librdkafka may send one raw
/// snappy block instead. Both are read; the xerial framing is written, which every client reads.
/// </summary>
internal static class SnappyCodec
{
    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    private const int XerialHeaderSize = 16;
    private const int XerialVersion = 1;

    // snappy-java's default block size, so block boundaries match what a Java producer would write.
    private const int BlockSize = 32 * 1024;

    // The densest snappy element, a copy of 64 bytes, takes 3 bytes: no valid block expands more
    // than 64/3 times. A claimed length past that is a lie and is refused before allocating.
    private const int MaxExpansion = 22;

    public static void Compress(ReadOnlySpan<byte> records, KafkaWriter output)
    {
        output.WriteRaw(XerialMagic);
        output.WriteInt32(XerialVersion);
        output.WriteInt32(XerialVersion);
        while (!records.IsEmpty)
        {
            var block = records[..Math.Min(BlockSize, records.Length)];
            var lengthAt = output.ReserveInt32();
            var written = Snappy.Compress(block, output.GetSpan(Snappy.GetMaxCompressedLength(block.Length)));
            output.Advance(written);
            output.PatchInt32(lengthAt, written);
            records = records[block.Length..];
        }
    }

    public static bool IsXerial(ReadOnlySpan<byte> compressed) => compressed.StartsWith(XerialMagic);

    public static byte[] Decompress(ReadOnlySpan<byte> compressed, int limit)
    {
        if (!IsXerial(compressed))
        {
            var output = new byte[CheckedLength(compressed, 0, limit, "raw snappy")];
            DecompressBlock(compressed, output);
            return output;
        }

        // First pass: check the framing and add up the claimed sizes, so the one output array is
        // allocated only once every claim is known to be plausible and within the limit.
        var total = 0L;
        ForEachBlock(compressed, (block, _) => total += CheckedLength(block, total, limit, "xerial snappy"));
        var result = new byte[total];
        var at = 0;
        ForEachBlock(compressed, (block, _) => at += DecompressBlock(block, result.AsSpan(at)));
        return result;
    }

    private delegate void BlockAction(ReadOnlySpan<byte> block, int index);

    private static void ForEachBlock(ReadOnlySpan<byte> data, BlockAction action)
    {
        var index = 0;
        while (!data.IsEmpty)
        {
            // snappy-java also reads streams concatenated with their headers, so a header may recur.
            if (data.StartsWith(XerialMagic))
            {
                if (data.Length < XerialHeaderSize)
                {
                    throw RecordErrors.Malformed("records", $"xerial snappy header is cut off after {data.Length} bytes");
                }

                data = data[XerialHeaderSize..];
                continue;
            }

            if (data.Length < 4)
            {
                throw RecordErrors.Malformed("records", $"xerial snappy block {index} length is cut off");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(data);
            if (length < 0 || length > data.Length - 4)
            {
                throw RecordErrors.Malformed("records", $"xerial snappy block {index} length {length} does not fit the {data.Length - 4} bytes that remain");
            }

            action(data.Slice(4, length), index++);
            data = data[(4 + length)..];
        }
    }

    private static int CheckedLength(ReadOnlySpan<byte> block, long before, int limit, string format)
    {
        if (block.IsEmpty)
        {
            return 0;
        }

        var length = Snappy.GetUncompressedLength(block);
        if (length < 0 || (long)length > (long)block.Length * MaxExpansion)
        {
            throw RecordErrors.Malformed("records", $"{format} block claims {length} bytes, more than its {block.Length} bytes can hold");
        }

        if (before + length > limit)
        {
            throw RecordErrors.Malformed("records", $"{format} data decompresses to more than the {limit}-byte limit (maxDecompressedBytes)");
        }

        return length;
    }

    private static int DecompressBlock(ReadOnlySpan<byte> block, Span<byte> output) =>
        block.IsEmpty ? 0 : Snappy.Decompress(block, output);
}
