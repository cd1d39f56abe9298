using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// Reads a magic 0/1 message set field by field, as an old consumer would (gzip wrappers opened,
/// their inner offsets made absolute), so fetched bytes are checked without the converters that made them.
/// </summary>
internal static class LegacyMessageSetReader
{
    public sealed record Message(long Offset, byte Magic, byte Attributes, long Timestamp, string? Key, string? Value);

    /// <summary>The messages in order, wrappers replaced by their inner messages at absolute offsets.</summary>
    public static List<Message> Read(ReadOnlySpan<byte> set)
    {
        var messages = new List<Message>();
        while (!set.IsEmpty)
        {
            var offset = BinaryPrimitives.ReadInt64BigEndian(set);
            var size = BinaryPrimitives.ReadInt32BigEndian(set[8..]);
            var body = set.Slice(12, size);
            var magic = body[4];
            var attributes = body[5];
            var at = magic == 0 ? 6 : 14;
            var timestamp = magic == 0 ? -1 : BinaryPrimitives.ReadInt64BigEndian(body[6..]);
            var key = Bytes(body, ref at);
            var value = Bytes(body, ref at);
            if ((attributes & 7) == 0)
            {
                messages.Add(new Message(offset, magic, attributes, timestamp, Text(key), Text(value)));
            }
            else
            {
                Assert.Equal(1, attributes & 7);
                var inner = Read(Gunzip(value!));
                var anchor = magic == 0 ? 0 : offset - inner[^1].Offset;
                messages.AddRange(inner.Select(m => m with { Offset = anchor + m.Offset }));
            }

            set = set[(12 + size)..];
        }

        return messages;
    }

    private static byte[]? Bytes(ReadOnlySpan<byte> body, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(body[at..]);
        at += 4;
        if (length < 0)
        {
            return null;
        }

        var bytes = body.Slice(at, length).ToArray();
        at += length;
        return bytes;
    }

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static byte[] Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
