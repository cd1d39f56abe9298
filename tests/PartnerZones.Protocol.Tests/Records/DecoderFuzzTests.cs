using PartnerZones.Protocol.Primitives;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Protocol.Tests.Records;

/// <summary>
/// Random damage to valid batches, with the CRC check off so the damage reaches the decoder and the
/// decompressors. Whatever the bytes, the outcome is a batch or the decode exception: never another
/// exception type, never a hang.
/// </summary>
public sealed class DecoderFuzzTests
{
    public static TheoryData<RecordCompression> Codecs() =>
        new(RecordCompression.None, RecordCompression.Gzip, RecordCompression.Snappy, RecordCompression.Lz4, RecordCompression.Zstd);

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Damaged_batches_decode_or_throw_the_decode_exception(RecordCompression codec)
    {
        var rng = new Random(1000 + (int)codec);
        var original = BatchBytes.Sample(30, 77, codec).ToArray();
        for (var round = 0; round < 600; round++)
        {
            var bytes = (byte[])original.Clone();
            var flips = rng.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                // Mostly after the header, where the records and the compressed data are.
                var at = rng.Next(4) == 0 ? rng.Next(bytes.Length) : rng.Next(61, bytes.Length);
                bytes[at] = (byte)rng.Next(256);
            }

            var length = rng.Next(8) == 0 ? rng.Next(bytes.Length) : bytes.Length;
            try
            {
                RecordBatch.Decode(bytes.AsMemory(0, length), maxDecompressedBytes: 1024 * 1024, verifyCrc: false);
            }
            catch (KafkaDecodeException)
            {
            }
        }
    }
}
