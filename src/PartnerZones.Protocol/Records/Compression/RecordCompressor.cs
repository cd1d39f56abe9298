using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Records.Compression;

/// <summary>Picks the codec for a batch and turns every codec failure into the decode exception.</summary>
internal static class RecordCompressor
{
    public static void Compress(RecordCompression codec, ReadOnlySpan<byte> records, KafkaWriter output)
    {
        switch (codec)
        {
            case RecordCompression.None:
                output.WriteRaw(records);
                break;
            case RecordCompression.Gzip:
                GzipCodec.Compress(records, output);
                break;
            case RecordCompression.Snappy:
                SnappyCodec.Compress(records, output);
                break;
            case RecordCompression.Lz4:
                Lz4Codec.Compress(records, output);
                break;
            case RecordCompression.Zstd:
                ZstdCodec.Compress(records, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, "Kafka defines compression codecs 0 to 4.");
        }
    }

    /// <summary>Decompresses the records of a batch into a new exact-size array, failing past <paramref name="limit"/> bytes.</summary>
    public static byte[] Decompress(RecordCompression codec, ReadOnlyMemory<byte> compressed, int limit)
    {
        var name = Name(codec);
        try
        {
            if (codec == RecordCompression.Snappy)
            {
                return SnappyCodec.Decompress(compressed.Span, limit);
            }

            // Most batches shrink 2-5x; starting near that saves regrowing, and the pool keeps it cheap.
            using var output = new BoundedBuffer(limit, compressed.Length * 4L, name);
            switch (codec)
            {
                case RecordCompression.Gzip:
                    GzipCodec.Decompress(compressed, output);
                    break;
                case RecordCompression.Lz4:
                    Lz4Codec.Decompress(compressed, output);
                    break;
                case RecordCompression.Zstd:
                    ZstdCodec.Decompress(compressed, output, limit);
                    break;
                default:
                    throw RecordErrors.Malformed("attributes", $"compression codec {(int)codec} is not one Kafka defines");
            }

            return output.ToArray();
        }
        catch (KafkaDecodeException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The codec libraries throw their own exception types for corrupt input; the caller
            // should only ever have to handle one.
            throw RecordErrors.Malformed("records", $"{name} data is corrupt: {e.Message}");
        }
    }

    private static string Name(RecordCompression codec) => codec switch
    {
        RecordCompression.Gzip => "gzip",
        RecordCompression.Snappy => "snappy",
        RecordCompression.Lz4 => "lz4",
        RecordCompression.Zstd => "zstd",
        _ => $"codec {(int)codec}",
    };
}
