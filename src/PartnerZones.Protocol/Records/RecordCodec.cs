using System.Text;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Records;

/// <summary>
/// Encodes and decodes one record: varint body length, then attributes int8, timestampDelta varlong,
/// offsetDelta varint, key and value (varint length, -1 for null), and a varint count of headers,
/// each a varint-length UTF-8 key and varint-length nullable value. All varints are zig-zag.
/// </summary>
internal static class RecordCodec
{
    /// <summary>The smallest body: six one-byte fields (attributes, two deltas, two lengths, header count).</summary>
    public const int MinBodySize = 6;

    /// <summary>The smallest record on the wire: a one-byte length and the smallest body.</summary>
    public const int MinRecordSize = 1 + MinBodySize;

    // A header key with bytes that are not UTF-8 cannot become a .NET string without losing them.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads one record. The body is read through its own reader so a field can never
    /// reach into the next record, and a length that disagrees with the fields is caught.</summary>
    public static Record Read(ref KafkaReader reader)
    {
        reader.Field = "length";
        var length = reader.ReadVarint();
        if (length < MinBodySize)
        {
            throw reader.Fail($"record length {length} is smaller than the {MinBodySize} bytes a record needs");
        }

        if (length > reader.Remaining)
        {
            throw reader.Fail($"record length {length} is larger than the {reader.Remaining} bytes that remain");
        }

        var body = reader.Nested(reader.ReadRaw(length));
        var record = new Record();
        body.Field = "attributes";
        record.Attributes = body.ReadInt8();
        body.Field = "timestampDelta";
        record.TimestampDelta = body.ReadVarlong();
        body.Field = "offsetDelta";
        record.OffsetDelta = body.ReadVarint();
        body.Field = "key";
        record.Key = ReadNullableBytes(ref body);
        body.Field = "value";
        record.Value = ReadNullableBytes(ref body);
        body.Field = "headers";
        record.Headers = ReadHeaders(ref body);
        if (!body.End)
        {
            throw body.Fail($"record length {length} leaves {body.Remaining} bytes after the last header");
        }

        return record;
    }

    private static RecordHeader[] ReadHeaders(ref KafkaReader body)
    {
        var count = body.ReadVarint();
        if (count < 0)
        {
            throw body.Fail($"header count {count} is negative");
        }

        if (count == 0)
        {
            return [];
        }

        // Each header takes at least two bytes (two one-byte lengths): a count past that is a lie,
        // and is caught before the array is allocated.
        if ((long)count * 2 > body.Remaining)
        {
            throw body.Fail($"header count {count} is larger than the {body.Remaining} bytes that remain could hold");
        }

        var headers = new RecordHeader[count];
        for (var i = 0; i < count; i++)
        {
            body.Field = "headerKey";
            var keyLength = body.ReadVarint();
            if (keyLength < 0)
            {
                throw body.Fail($"header {i} key length is {keyLength}; header keys cannot be null");
            }

            var keyBytes = body.ReadRaw(keyLength);
            string key;
            try
            {
                key = StrictUtf8.GetString(keyBytes.Span);
            }
            catch (DecoderFallbackException)
            {
                throw body.Fail($"header {i} key is not valid UTF-8");
            }

            body.Field = "headerValue";
            headers[i] = new RecordHeader(key, ReadNullableBytes(ref body));
        }

        return headers;
    }

    private static ReadOnlyMemory<byte>? ReadNullableBytes(ref KafkaReader body)
    {
        var length = body.ReadVarint();
        if (length < -1)
        {
            throw body.Fail($"length {length} is negative");
        }

        // Not a conditional expression: null would convert to an empty ReadOnlyMemory there (via
        // the byte[] conversion) instead of staying null.
        if (length < 0)
        {
            return null;
        }

        return body.ReadRaw(length);
    }

    /// <summary>Writes one record, length prefix included.</summary>
    public static void Write(KafkaWriter writer, Record record)
    {
        writer.WriteVarint(SizeOfBody(record));
        writer.WriteInt8(record.Attributes);
        writer.WriteVarlong(record.TimestampDelta);
        writer.WriteVarint(record.OffsetDelta);
        WriteNullableBytes(writer, record.Key);
        WriteNullableBytes(writer, record.Value);
        var headers = record.Headers;
        writer.WriteVarint(headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            var key = headers[i].Key ?? throw new ArgumentException($"Header {i} has a null key; Kafka header keys cannot be null.");
            var keyLength = Encoding.UTF8.GetByteCount(key);
            writer.WriteVarint(keyLength);
            Encoding.UTF8.GetBytes(key, writer.GetSpan(keyLength));
            writer.Advance(keyLength);
            WriteNullableBytes(writer, headers[i].Value);
        }
    }

    private static void WriteNullableBytes(KafkaWriter writer, ReadOnlyMemory<byte>? value)
    {
        if (value is not { } bytes)
        {
            writer.WriteVarint(-1);
            return;
        }

        writer.WriteVarint(bytes.Length);
        writer.WriteRaw(bytes.Span);
    }

    /// <summary>Bytes of the record after its length prefix.</summary>
    public static int SizeOfBody(Record record)
    {
        long size = 1 + SizeOfVarlong(record.TimestampDelta) + SizeOfVarint(record.OffsetDelta)
            + SizeOfNullableBytes(record.Key) + SizeOfNullableBytes(record.Value);
        var headers = record.Headers;
        size += SizeOfVarint(headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            var keyLength = Encoding.UTF8.GetByteCount(headers[i].Key ?? string.Empty);
            size += SizeOfVarint(keyLength) + keyLength + SizeOfNullableBytes(headers[i].Value);
        }

        return size <= int.MaxValue ? (int)size : throw new ArgumentException($"Record of {size} bytes is too large to encode.");
    }

    private static int SizeOfNullableBytes(ReadOnlyMemory<byte>? value) =>
        value is { } bytes ? SizeOfVarint(bytes.Length) + bytes.Length : 1;

    public static int SizeOfVarint(int value) => KafkaWriter.SizeOfUVarint((uint)((value << 1) ^ (value >> 31)));

    public static int SizeOfVarlong(long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        var size = 1;
        while (raw >= 0x80)
        {
            raw >>= 7;
            size++;
        }

        return size;
    }
}
