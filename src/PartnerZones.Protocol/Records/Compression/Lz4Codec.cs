using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Records.Compression;

/// <summary>Kafka's lz4 codec: the standard LZ4 frame format (magic 2 batches use a correct header checksum).</summary>
internal static class Lz4Codec
{
    // What Kafka's Java producer writes, and all its consumer accepts: independent 64 KiB blocks,
    // no block or content checksum, no content size.
    private static readonly LZ4EncoderSettings Settings = new()
    {
        ChainBlocks = false,
        BlockSize = 64 * 1024,
        BlockChecksum = false,
        ContentChecksum = false,
        ContentLength = null,
        CompressionLevel = LZ4Level.L00_FAST,
    };

    public static void Compress(ReadOnlySpan<byte> records, KafkaWriter output) =>
        LZ4Frame.Encode(records, output, Settings);

    public static void Decompress(ReadOnlyMemory<byte> compressed, BoundedBuffer output)
    {
        using var reader = LZ4Frame.Decode(compressed, 0);
        int read;
        while ((read = reader.ReadManyBytes(output.FreeSpan(), interactive: true)) > 0)
        {
            output.Advance(read);
        }
    }
}
