using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using K4os.Hash.xxHash;
using PartnerZones.Protocol.Records;
using Snappier;
using Xunit;
using ZstdSharp;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>
/// Builds and parses magic 0/1 message sets by hand, field by field from the protocol specification,
/// with a bit-by-bit CRC-32 and the codec libraries called directly, so the tests check the converters
/// against bytes the converters did not make. Shared: the protocol tests check the converters with it, the
/// gateway tests what old clients send and get through the gateway.
/// </summary>
public static class LegacyBytes
{
    public const int LogAppendTimeBit = 0x08;

    /// <summary>One message as the tests describe it. For a wrapper, <see cref="Inner"/> holds its messages.</summary>
    public sealed record Message(long Offset, byte Magic, byte Attributes, long Timestamp, byte[]? Key, byte[]? Value)
    {
        public List<Message> Inner { get; init; } = [];

        public RecordCompression Codec => (RecordCompression)(Attributes & 7);

        public string? KeyText => Key is null ? null : Encoding.UTF8.GetString(Key);

        public string? ValueText => Value is null ? null : Encoding.UTF8.GetString(Value);
    }

    public static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    /// <summary>One entry: offset, size, crc, magic, attributes, (magic 1) timestamp, key, value.</summary>
    public static byte[] Entry(long offset, byte magic, byte attributes, long timestamp, byte[]? key, byte[]? value)
    {
        var body = new List<byte> { magic, attributes };
        if (magic > 0)
        {
            body.AddRange(BigEndian(timestamp));
        }

        AddBytes(body, key);
        AddBytes(body, value);
        var crc = Crc32Bitwise([.. body]);
        var entry = new List<byte>();
        entry.AddRange(BigEndian(offset));
        entry.AddRange(BigEndian(body.Count + 4));
        entry.AddRange(BigEndian((int)crc));
        entry.AddRange(body);
        return [.. entry];
    }

    public static byte[] Text(long offset, byte magic, long timestamp, string? key, string? value, byte attributes = 0) =>
        Entry(offset, magic, attributes, timestamp, Utf8(key), Utf8(value));

    /// <summary>A wrapper message whose value is <paramref name="inner"/> compressed as Kafka's clients do.</summary>
    public static byte[] Wrapper(long offset, byte magic, RecordCompression codec, long timestamp, byte[] inner, bool logAppendTime = false, bool brokenLz4Checksum = false) =>
        Entry(offset, magic, (byte)((int)codec | (logAppendTime ? LogAppendTimeBit : 0)), timestamp, null, Compress(codec, inner, brokenLz4Checksum));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Compress(RecordCompression codec, byte[] data, bool brokenLz4Checksum = false)
    {
        switch (codec)
        {
            case RecordCompression.Gzip:
                {
                    using var output = new MemoryStream();
                    using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        gzip.Write(data);
                    }

                    return output.ToArray();
                }

            case RecordCompression.Lz4:
                {
                    var settings = new LZ4EncoderSettings { ChainBlocks = false, BlockSize = 64 * 1024, ContentChecksum = false };
                    var buffer = new ArrayBufferWriter<byte>();
                    LZ4Frame.Encode(data.AsSpan(), buffer, settings);
                    var frame = buffer.WrittenSpan.ToArray();
                    if (brokenLz4Checksum)
                    {
                        // Old Kafka hashed the frame magic (4 bytes) along with FLG and BD.
                        frame[6] = (byte)((XXH32.DigestOf(frame.AsSpan(0, 6)) >> 8) & 0xFF);
                    }

                    return frame;
                }

            case RecordCompression.Snappy:
                return XerialSnappy(data);

            case RecordCompression.Zstd:
                {
                    using var zstd = new Compressor(3);
                    return zstd.Wrap(data).ToArray();
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(codec), codec, "Kafka defines no such codec.");
        }
    }

    /// <summary>Snappy as Kafka's Java clients frame it (snappy-java's "xerial" stream): the 8-byte magic
    /// 0x82 "SNAPPY" 0x00, version 1 and compatible version 1 as big-endian int32s, then one block per
    /// 32 KiB of input, each a big-endian int32 length and a raw snappy block.</summary>
    public static byte[] XerialSnappy(byte[] data)
    {
        var output = new List<byte>(XerialMagic);
        output.AddRange(BigEndian(1));
        output.AddRange(BigEndian(1));
        for (var at = 0; at < data.Length; at += XerialBlockSize)
        {
            var block = Snappy.CompressToArray(data.AsSpan(at, Math.Min(XerialBlockSize, data.Length - at)));
            output.AddRange(BigEndian(block.Length));
            output.AddRange(block);
        }

        return [.. output];
    }

    private static readonly byte[] XerialMagic = [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    private const int XerialBlockSize = 32 * 1024;

    public static byte[] Decompress(RecordCompression codec, byte[] data)
    {
        if (codec == RecordCompression.Gzip)
        {
            using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }

        if (codec == RecordCompression.Lz4)
        {
            Assert.True(data.Length > 6, $"an LZ4 frame of {data.Length} bytes has no header");

            // Accept old Kafka's header checksum too: compare the converters' bytes elsewhere.
            data = (byte[])data.Clone();
            data[6] = (byte)((XXH32.DigestOf(data.AsSpan(4, 2)) >> 8) & 0xFF);
            var output = new ArrayBufferWriter<byte>();
            LZ4Frame.Decode(data.AsSpan(), output);
            return output.WrittenSpan.ToArray();
        }

        if (codec == RecordCompression.Snappy)
        {
            return data.AsSpan().StartsWith(XerialMagic) ? FromXerialSnappy(data) : Snappy.DecompressToArray(data);
        }

        if (codec == RecordCompression.Zstd)
        {
            using var zstd = new Decompressor();
            return zstd.Unwrap(data).ToArray();
        }

        throw new ArgumentOutOfRangeException(nameof(codec), codec, "Not a compression codec.");
    }

    /// <summary>The data of a xerial-framed snappy stream (see <see cref="XerialSnappy"/>).</summary>
    private static byte[] FromXerialSnappy(byte[] data)
    {
        Assert.True(data.Length >= 16, "the xerial snappy header is cut off");
        var output = new List<byte>();
        for (var at = 16; at < data.Length;)
        {
            Assert.True(data.Length - at >= 4, "a xerial snappy block length is cut off");
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at));
            Assert.InRange(length, 0, data.Length - at - 4);
            output.AddRange(Snappy.DecompressToArray(data.AsSpan(at + 4, length)));
            at += 4 + length;
        }

        return [.. output];
    }

    /// <summary>Parses a message set entry by entry; a wrapper's inner messages are decompressed and parsed too.
    /// Every CRC is checked. A cut-off tail is an assertion failure: converters never write one.</summary>
    public static List<Message> Parse(ReadOnlySpan<byte> set)
    {
        var messages = new List<Message>();
        while (!set.IsEmpty)
        {
            Assert.True(set.Length >= 12 + 14, $"{set.Length} bytes left: too few for an entry");
            var offset = BinaryPrimitives.ReadInt64BigEndian(set);
            var size = BinaryPrimitives.ReadInt32BigEndian(set[8..]);
            Assert.True(size <= set.Length - 12, $"entry size {size} overruns the {set.Length - 12} bytes left");
            var body = set.Slice(12, size);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(body), Crc32Bitwise(body[4..]));
            var magic = body[4];
            var attributes = body[5];
            var at = 6;
            var timestamp = -1L;
            if (magic > 0)
            {
                timestamp = BinaryPrimitives.ReadInt64BigEndian(body[at..]);
                at += 8;
            }

            var key = ReadBytes(body, ref at);
            var value = ReadBytes(body, ref at);
            Assert.Equal(size, at);
            var message = new Message(offset, magic, attributes, timestamp, key, value);
            if ((attributes & 7) != 0)
            {
                message = message with { Inner = Parse(Decompress((RecordCompression)(attributes & 7), value!)) };
            }

            messages.Add(message);
            set = set[(12 + size)..];
        }

        return messages;
    }

    /// <summary>The textbook CRC-32 (IEEE), one bit at a time: slow, and independent of the library's table.</summary>
    public static uint Crc32Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static byte[]? ReadBytes(ReadOnlySpan<byte> body, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(body[at..]);
        at += 4;
        if (length < 0)
        {
            Assert.Equal(-1, length);
            return null;
        }

        var bytes = body.Slice(at, length).ToArray();
        at += length;
        return bytes;
    }

    private static void AddBytes(List<byte> body, byte[]? bytes)
    {
        if (bytes is null)
        {
            body.AddRange(BigEndian(-1));
            return;
        }

        body.AddRange(BigEndian(bytes.Length));
        body.AddRange(bytes);
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
