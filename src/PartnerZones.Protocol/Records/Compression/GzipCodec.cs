using System.IO.Compression;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Records.Compression;

/// <summary>Kafka's gzip codec: a plain gzip stream (RFC 1952) of the record bytes.</summary>
internal static class GzipCodec
{
    public static void Compress(ReadOnlySpan<byte> records, KafkaWriter output)
    {
        using var gzip = new GZipStream(new BufferWriterStream(output), CompressionLevel.Optimal, leaveOpen: false);
        gzip.Write(records);
    }

    public static void Decompress(ReadOnlyMemory<byte> compressed, BoundedBuffer output)
    {
        using var gzip = new GZipStream(StreamInput.Over(compressed), CompressionMode.Decompress, leaveOpen: false);
        output.ReadToEnd(gzip);
    }
}
