using PartnerZones.Protocol.Primitives;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace PartnerZones.Protocol.Records.Compression;

/// <summary>Kafka's zstd codec: one or more zstd frames of the record bytes.</summary>
internal static class ZstdCodec
{
    // Kafka's default zstd level.
    private const int Level = 3;

    // A compression context is large and costly to build; one per thread is reused.
    [ThreadStatic]
    private static Compressor? t_compressor;

    public static void Compress(ReadOnlySpan<byte> records, KafkaWriter output)
    {
        var compressor = t_compressor ??= new Compressor(Level);
        var bound = Compressor.GetCompressBound(records.Length);
        var written = compressor.Wrap(records, output.GetSpan(bound));
        output.Advance(written);
    }

    public static void Decompress(ReadOnlyMemory<byte> compressed, BoundedBuffer output, int limit)
    {
        using var zstd = new DecompressionStream(StreamInput.Over(compressed), 0, true, false);

        // A frame names its window size and the decoder allocates that much up front. Frames from
        // streaming producers name windows larger than their content, so the bound is loose: twice
        // the output limit, at least 16 MiB, at most zstd's own default ceiling of 128 MiB.
        zstd.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, WindowLogFor(limit));
        output.ReadToEnd(zstd);
    }

    internal static int WindowLogFor(int limit)
    {
        var log = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(limit, 1) - 1) + 1;
        return Math.Clamp(log, 24, 27);
    }
}
