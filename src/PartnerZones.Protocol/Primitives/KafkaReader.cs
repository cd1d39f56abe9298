using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace PartnerZones.Protocol.Primitives;

/// <summary>
/// Reads Kafka primitives from one contiguous frame body. Every length read from the wire is checked
/// against the bytes that remain before anything is allocated, so a lying length prefix costs nothing.
/// Byte fields come back as slices of the frame (zero copy); the frame must outlive the decoded message.
/// </summary>
public ref struct KafkaReader
{
    // Strict UTF-8: bad bytes in a name are a decode error, never a silently replaced character.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public KafkaReader(ReadOnlyMemory<byte> memory)
    {
        _memory = memory;
        _span = memory.Span;
        _position = 0;
        Api = null;
        Version = 0;
        Field = null;
    }

    /// <summary>Message name used in error messages; set by the generated decoder.</summary>
    public string? Api { get; set; }

    /// <summary>Message version used in error messages.</summary>
    public short Version { get; set; }

    /// <summary>Field being read, used in error messages; set by the generated decoder before each field.</summary>
    public string? Field { get; set; }

    public readonly int Position => _position;

    public readonly int Remaining => _span.Length - _position;

    public readonly bool End => _position >= _span.Length;

    /// <summary>Raises the decode exception with this reader's location.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly KafkaDecodeException Fail(string problem) => new(Api, Version, Field, problem);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_span.Length - _position))
        {
            throw Fail($"needs {count} bytes but only {_span.Length - _position} remain");
        }

        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    public bool ReadBool()
    {
        var b = Take(1)[0];
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw Fail($"boolean byte is {b}; only 0 and 1 are valid"),
        };
    }

    /// <summary>Kafka UUIDs are 16 bytes, most significant first (Java's UUID layout).</summary>
    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    /// <summary>Unsigned LEB128 varint of at most 5 bytes (32 bits).</summary>
    public uint ReadUVarint()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (_position >= _span.Length)
            {
                throw Fail("varint is cut off by the end of the input");
            }

            var b = _span[_position++];
            if (shift == 28 && (b & 0xF0) != 0)
            {
                throw Fail("varint is longer than 32 bits");
            }

            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw Fail("varint is longer than 5 bytes");
    }

    /// <summary>Unsigned LEB128 varint of at most 10 bytes (64 bits).</summary>
    public ulong ReadUVarlong()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _span.Length)
            {
                throw Fail("varlong is cut off by the end of the input");
            }

            var b = _span[_position++];
            if (shift == 63 && (b & 0xFE) != 0)
            {
                throw Fail("varlong is longer than 64 bits");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw Fail("varlong is longer than 10 bytes");
    }

    /// <summary>Zig-zag signed varint (record fields).</summary>
    public int ReadVarint()
    {
        var raw = ReadUVarint();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>Zig-zag signed varlong (record fields).</summary>
    public long ReadVarlong()
    {
        var raw = ReadUVarlong();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Reads a length: int16/int32 in classic encodings, unsigned varint minus one in compact ones.
    /// Returns -1 for null. Any other negative value, or a length past the end, is an error.</summary>
    private int ReadLength(bool compact, bool wide, string what)
    {
        int length;
        if (compact)
        {
            var raw = ReadUVarint();
            if (raw > int.MaxValue)
            {
                throw Fail($"{what} length {raw - 1} is too large");
            }

            length = (int)raw - 1;
        }
        else
        {
            length = wide ? ReadInt32() : ReadInt16();
        }

        if (length < -1)
        {
            throw Fail($"{what} length {length} is negative");
        }

        if (length > Remaining)
        {
            throw Fail($"{what} length {length} is larger than the {Remaining} bytes that remain");
        }

        return length;
    }

    public string ReadString(bool compact) =>
        ReadNullableString(compact) ?? throw Fail("string is null where null is not allowed");

    public string? ReadNullableString(bool compact)
    {
        var length = ReadLength(compact, wide: false, "string");
        if (length < 0)
        {
            return null;
        }

        var bytes = Take(length);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail("string is not valid UTF-8");
        }
    }

    public ReadOnlyMemory<byte> ReadBytes(bool compact) =>
        ReadNullableBytes(compact) ?? throw Fail("bytes are null where null is not allowed");

    public ReadOnlyMemory<byte>? ReadNullableBytes(bool compact)
    {
        var length = ReadLength(compact, wide: true, "bytes");
        if (length < 0)
        {
            return null;
        }

        var slice = _memory.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>Reads an array count; -1 means null. The count is checked against the remaining bytes
    /// (each element takes at least <paramref name="minElementSize"/> bytes) so a claimed count can never
    /// make the caller allocate more than the input could hold.</summary>
    public int ReadArrayCount(bool compact, int minElementSize = 1)
    {
        int count;
        if (compact)
        {
            var raw = ReadUVarint();
            if (raw > int.MaxValue)
            {
                throw Fail($"array count {raw - 1} is too large");
            }

            count = (int)raw - 1;
        }
        else
        {
            count = ReadInt32();
        }

        if (count < -1)
        {
            throw Fail($"array count {count} is negative");
        }

        if (count > 0 && (long)count * Math.Max(minElementSize, 1) > Remaining)
        {
            throw Fail($"array count {count} is larger than the {Remaining} bytes that remain could hold");
        }

        return count;
    }

    /// <summary>Takes the next <paramref name="length"/> bytes as a slice of the frame.</summary>
    public ReadOnlyMemory<byte> ReadRaw(int length)
    {
        if (length < 0 || length > Remaining)
        {
            throw Fail($"needs {length} bytes but only {Remaining} remain");
        }

        var slice = _memory.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>Reads the tag and size of one tagged field and returns its data as a slice.</summary>
    public ReadOnlyMemory<byte> ReadTaggedField(out int tag)
    {
        var rawTag = ReadUVarint();
        if (rawTag > int.MaxValue)
        {
            throw Fail($"tag {rawTag} is too large");
        }

        tag = (int)rawTag;
        var size = ReadUVarint();
        if (size > (uint)Remaining)
        {
            throw Fail($"tagged field {tag} claims {size} bytes but only {Remaining} remain");
        }

        return ReadRaw((int)size);
    }

    /// <summary>A reader over a tagged field's bytes that reports errors at this reader's location.</summary>
    public readonly KafkaReader Nested(ReadOnlyMemory<byte> data) =>
        new(data) { Api = Api, Version = Version, Field = Field };

    /// <summary>Fails unless every byte of a tagged field's data was used.</summary>
    public readonly void ExpectEnd()
    {
        if (!End)
        {
            throw Fail($"{Remaining} bytes left over");
        }
    }
}
