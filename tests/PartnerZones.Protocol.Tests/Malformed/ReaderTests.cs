using PartnerZones.Protocol.Primitives;
using static PartnerZones.Protocol.Tests.Malformed.Decoding;

namespace PartnerZones.Protocol.Tests.Malformed;

/// <summary>
/// Malformed input at the level of <see cref="KafkaReader"/>: every primitive fails on cut-off input,
/// lengths and counts that lie, over-long varints and bad UTF-8, always with <see cref="KafkaDecodeException"/>
/// carrying the API, version and field the reader was told. Covers primitives no generated message uses yet
/// (bytes, varlongs, raw slices).
/// </summary>
public sealed class ReaderTests
{
    public delegate void ReadAction(ref KafkaReader reader);

    private const string Api = "ProduceRequest";
    private const short Version = 9;
    private const string Field = "PartitionProduceData.Records";

    /// <summary>Each primitive with one valid encoding of it; every strict prefix must fail.</summary>
    private static readonly Dictionary<string, (ReadAction Read, byte[] Valid)> Primitives = new()
    {
        ["int8"] = ((ref KafkaReader r) => r.ReadInt8(), Bytes(0x80)),
        ["int16"] = ((ref KafkaReader r) => r.ReadInt16(), Bytes(0x80, 0x00)),
        ["uint16"] = ((ref KafkaReader r) => r.ReadUInt16(), Bytes(0xFF, 0xFF)),
        ["int32"] = ((ref KafkaReader r) => r.ReadInt32(), Bytes(0x7F, 0xFF, 0xFF, 0xFF)),
        ["uint32"] = ((ref KafkaReader r) => r.ReadUInt32(), Bytes(0xFF, 0xFF, 0xFF, 0xFF)),
        ["int64"] = ((ref KafkaReader r) => r.ReadInt64(), Bytes(0x80, 0, 0, 0, 0, 0, 0, 0)),
        ["float64"] = ((ref KafkaReader r) => r.ReadFloat64(), Bytes(0x3F, 0xF0, 0, 0, 0, 0, 0, 0)),
        ["bool"] = ((ref KafkaReader r) => r.ReadBool(), Bytes(1)),
        ["uuid"] = ((ref KafkaReader r) => r.ReadUuid(), new byte[16]),
        ["uvarint"] = ((ref KafkaReader r) => r.ReadUVarint(), Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F)),
        ["varint"] = ((ref KafkaReader r) => r.ReadVarint(), Bytes(0xFE, 0xFF, 0xFF, 0xFF, 0x0F)),
        ["uvarlong"] = ((ref KafkaReader r) => r.ReadUVarlong(), Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)),
        ["varlong"] = ((ref KafkaReader r) => r.ReadVarlong(), Bytes(0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)),
        ["string"] = ((ref KafkaReader r) => r.ReadString(false), Bytes(0x00, 0x02, 0x68, 0x69)),
        ["compact string"] = ((ref KafkaReader r) => r.ReadString(true), Bytes(0x03, 0x68, 0x69)),
        ["nullable string"] = ((ref KafkaReader r) => r.ReadNullableString(false), Bytes(0x00, 0x01, 0x68)),
        ["compact nullable string"] = ((ref KafkaReader r) => r.ReadNullableString(true), Bytes(0x02, 0x68)),
        ["bytes"] = ((ref KafkaReader r) => r.ReadBytes(false), Bytes(0, 0, 0, 2, 0xAA, 0xBB)),
        ["compact bytes"] = ((ref KafkaReader r) => r.ReadBytes(true), Bytes(0x03, 0xAA, 0xBB)),
        ["nullable bytes"] = ((ref KafkaReader r) => r.ReadNullableBytes(false), Bytes(0, 0, 0, 1, 0xAA)),
        ["compact nullable bytes"] = ((ref KafkaReader r) => r.ReadNullableBytes(true), Bytes(0x02, 0xAA)),
        ["array count"] = ((ref KafkaReader r) => r.ReadRaw(r.ReadArrayCount(false, 4) * 4), Bytes(0, 0, 0, 1, 0, 0, 0, 0)),
        ["compact array count"] = ((ref KafkaReader r) => r.ReadRaw(r.ReadArrayCount(true, 4) * 4), Bytes(0x02, 0, 0, 0, 0)),
        ["raw"] = ((ref KafkaReader r) => r.ReadRaw(3), Bytes(1, 2, 3)),
        ["tagged field"] = ((ref KafkaReader r) => r.ReadTaggedField(out _), Bytes(0x07, 0x02, 0xAA, 0xBB)),
    };

    public static TheoryData<string> PrimitiveNames() => new(Primitives.Keys);

    [Theory]
    [MemberData(nameof(PrimitiveNames))]
    public void Every_prefix_of_a_primitive_fails_with_the_readers_location(string primitive)
    {
        var (read, valid) = Primitives[primitive];
        var reader = Reader(valid);
        read(ref reader);
        Assert.True(reader.End, $"{primitive}: the valid encoding was not used up");

        for (var length = 0; length < valid.Length; length++)
        {
            var e = Fails(valid[..length], read);
            Assert.Equal(Api, e.Api);
            Assert.Equal(Version, e.Version);
            Assert.Equal(Field, e.Field);
            Assert.StartsWith($"Malformed {Api} v{Version}, field {Field}: ", e.Message);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "longer than 32 bits")]         // 6 bytes
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "longer than 32 bits")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x10 }, "longer than 32 bits")]               // 2^32
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "longer than 32 bits")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x8F, 0x00 }, "longer than 32 bits")]         // continues past 5
    [InlineData(new byte[] { 0x80 }, "cut off")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, "cut off")]
    public void Invalid_unsigned_varints_are_rejected(byte[] input, string problem)
    {
        Assert.Contains(problem, Fails(input, (ref KafkaReader r) => r.ReadUVarint()).Problem);
        Assert.Contains(problem, Fails(input, (ref KafkaReader r) => r.ReadVarint()).Problem);
        Assert.Contains(problem, Fails(input, (ref KafkaReader r) => r.ReadArrayCount(true)).Problem);
        Assert.Contains(problem, Fails(input, (ref KafkaReader r) => r.ReadNullableString(true)).Problem);
        Assert.Contains(problem, Fails(input, (ref KafkaReader r) => r.ReadNullableBytes(true)).Problem);
        Assert.Contains(problem, Fails(input, (ref KafkaReader r) => r.ReadTaggedField(out _)).Problem);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "longer than 64 bits")] // 11 bytes
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 }, "longer than 64 bits")]       // 2^64
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, "longer than 64 bits")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00 }, "longer than 64 bits")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "cut off")]
    [InlineData(new byte[] { }, "cut off")]
    public void Invalid_varlongs_are_rejected(byte[] input, string problem)
    {
        Assert.Contains(problem, Fails(input, (ref KafkaReader r) => r.ReadUVarlong()).Problem);
        Assert.Contains(problem, Fails(input, (ref KafkaReader r) => r.ReadVarlong()).Problem);
    }

    [Fact]
    public void Negative_lengths_are_rejected_and_named()
    {
        var s = Fails(Bytes(0xFF, 0xFE, 0x61, 0x62), (ref KafkaReader r) => r.ReadNullableString(false));
        Assert.Equal($"Malformed {Api} v{Version}, field {Field}: string length -2 is negative", s.Message);

        var b = Fails(Bytes(0xFF, 0xFF, 0xFF, 0xFB, 1, 2, 3, 4, 5), (ref KafkaReader r) => r.ReadNullableBytes(false));
        Assert.Equal($"Malformed {Api} v{Version}, field {Field}: bytes length -5 is negative", b.Message);

        var a = Fails(Bytes(0xFF, 0xFF, 0xFF, 0xF9, 1, 2, 3, 4, 5), (ref KafkaReader r) => r.ReadArrayCount(false));
        Assert.Equal($"Malformed {Api} v{Version}, field {Field}: array count -7 is negative", a.Message);

        Assert.Contains("negative", Fails(Bytes(0x80, 0x00), (ref KafkaReader r) => r.ReadString(false)).Problem);
        Assert.Contains("negative", Fails(Bytes(0x80, 0, 0, 0), (ref KafkaReader r) => r.ReadBytes(false)).Problem);
        Assert.Contains("negative", Fails(Bytes(0x80, 0, 0, 0), (ref KafkaReader r) => r.ReadArrayCount(false)).Problem);
        Assert.Contains("needs -1 bytes", Fails(Bytes(1, 2), (ref KafkaReader r) => r.ReadRaw(-1)).Problem);
        Assert.Contains("needs", Fails(Bytes(1, 2), (ref KafkaReader r) => r.ReadRaw(int.MinValue)).Problem);
    }

    [Fact]
    public void Null_is_rejected_where_the_read_does_not_allow_it()
    {
        Assert.Contains("null", Fails(Bytes(0xFF, 0xFF), (ref KafkaReader r) => r.ReadString(false)).Problem);
        Assert.Contains("null", Fails(Bytes(0x00), (ref KafkaReader r) => r.ReadString(true)).Problem);
        Assert.Contains("null", Fails(Bytes(0xFF, 0xFF, 0xFF, 0xFF), (ref KafkaReader r) => r.ReadBytes(false)).Problem);
        Assert.Contains("null", Fails(Bytes(0x00), (ref KafkaReader r) => r.ReadBytes(true)).Problem);

        var reader = Reader(Bytes(0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00));
        Assert.Null(reader.ReadNullableString(false));
        Assert.Null(reader.ReadNullableString(true));
        Assert.Null(reader.ReadNullableBytes(false));
        Assert.Null(reader.ReadNullableBytes(true));
        Assert.Equal(-1, reader.ReadArrayCount(false));
        Assert.Equal(-1, reader.ReadArrayCount(true));
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x7F)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void A_bool_byte_other_than_0_or_1_is_rejected(byte value)
    {
        var e = Fails([value], (ref KafkaReader r) => r.ReadBool());
        Assert.Equal($"boolean byte is {value}; only 0 and 1 are valid", e.Problem);
    }

    [Fact]
    public void Oversized_lengths_and_counts_fail_before_allocating()
    {
        var tenLeft = new byte[10];
        var cases = new (string Name, byte[] Input, ReadAction Read)[]
        {
            ("string 32767", Concat(Bytes(0x7F, 0xFF), tenLeft), (ref KafkaReader r) => r.ReadString(false)),
            ("compact string 2^31-2", Concat(Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07), tenLeft), (ref KafkaReader r) => r.ReadString(true)),
            ("compact string 2^32-2", Concat(Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), tenLeft), (ref KafkaReader r) => r.ReadString(true)),
            ("bytes int.MaxValue", Concat(Bytes(0x7F, 0xFF, 0xFF, 0xFF), tenLeft), (ref KafkaReader r) => r.ReadBytes(false)),
            ("compact bytes 2^31-2", Concat(Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07), tenLeft), (ref KafkaReader r) => r.ReadBytes(true)),
            ("array int.MaxValue", Concat(Bytes(0x7F, 0xFF, 0xFF, 0xFF), tenLeft), (ref KafkaReader r) => r.ReadArrayCount(false)),
            ("compact array 2^31-2", Concat(Bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07), tenLeft), (ref KafkaReader r) => r.ReadArrayCount(true)),
            ("array of int32 3 with 11 bytes", Concat(Bytes(0, 0, 0, 3), new byte[11]), (ref KafkaReader r) => r.ReadArrayCount(false, 4)),
            ("array of uuid 2 with 31 bytes", Concat(Bytes(0x03), new byte[31]), (ref KafkaReader r) => r.ReadArrayCount(true, 16)),
            ("tagged field of 2^32-1 bytes", Concat(Bytes(0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F), tenLeft), (ref KafkaReader r) => r.ReadTaggedField(out _)),
            ("tagged field of 11 bytes", Concat(Bytes(0x01, 0x0B), tenLeft), (ref KafkaReader r) => r.ReadTaggedField(out _)),
            ("tag 2^31", Concat(Bytes(0x80, 0x80, 0x80, 0x80, 0x08, 0x00), tenLeft), (ref KafkaReader r) => r.ReadTaggedField(out _)),
            ("raw int.MaxValue", tenLeft, (ref KafkaReader r) => r.ReadRaw(int.MaxValue)),
        };

        foreach (var (name, input, read) in cases)
        {
            Fails(input, read);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var e = Fails(input, read);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < SmallAllocation, $"{name}: allocated {allocated} bytes ({e.Message})");
            Assert.True(e.Problem.Contains("larger", StringComparison.Ordinal) || e.Problem.Contains("too large", StringComparison.Ordinal) ||
                        e.Problem.Contains("remain", StringComparison.Ordinal), $"{name}: {e.Message}");
        }
    }

    [Fact]
    public void An_array_count_may_use_every_remaining_byte_but_not_one_more()
    {
        var reader = Reader(Concat(Bytes(0, 0, 0, 3), new byte[12]));
        Assert.Equal(3, reader.ReadArrayCount(false, 4));
        reader = Reader(Concat(Bytes(0x04), new byte[3]));
        Assert.Equal(3, reader.ReadArrayCount(true));
        Assert.Contains("larger", Fails(Concat(Bytes(0x05), new byte[3]), (ref KafkaReader r) => r.ReadArrayCount(true)).Problem);
        Assert.Contains("larger", Fails(Concat(Bytes(0, 0, 0, 3), new byte[11]), (ref KafkaReader r) => r.ReadArrayCount(false, 4)).Problem);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]             // invalid continuation
    [InlineData(new byte[] { 0xC0, 0xAF })]             // overlong '/'
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF })]       // overlong '/' in three bytes
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // lone high surrogate
    [InlineData(new byte[] { 0xED, 0xB0, 0x80 })]       // lone low surrogate
    [InlineData(new byte[] { 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80 })] // CESU-8 surrogate pair
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0xF8, 0x88, 0x80, 0x80, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]             // cut-off sequence at the end of the string
    [InlineData(new byte[] { 0x61, 0xFE })]
    public void Strings_with_invalid_utf8_are_rejected(byte[] data)
    {
        var classic = Concat(Bytes(0, data.Length), data);
        var compact = Concat(Bytes(data.Length + 1), data);
        Assert.Equal("string is not valid UTF-8", Fails(classic, (ref KafkaReader r) => r.ReadString(false)).Problem);
        Assert.Equal("string is not valid UTF-8", Fails(classic, (ref KafkaReader r) => r.ReadNullableString(false)).Problem);
        Assert.Equal("string is not valid UTF-8", Fails(compact, (ref KafkaReader r) => r.ReadString(true)).Problem);
        Assert.Equal("string is not valid UTF-8", Fails(compact, (ref KafkaReader r) => r.ReadNullableString(true)).Problem);
    }

    [Fact]
    public void A_multi_byte_character_split_by_the_string_length_is_invalid()
    {
        // "é" is C3 A9; a length of 1 cuts it, the A9 that follows belongs to the next field.
        Assert.Equal("string is not valid UTF-8", Fails(Bytes(0x00, 0x01, 0xC3, 0xA9), (ref KafkaReader r) => r.ReadString(false)).Problem);
    }

    [Fact]
    public void Nested_readers_report_the_outer_location_and_left_over_bytes()
    {
        var reader = Reader(Bytes(0x05, 0x03, 0x01, 0x02, 0x03));
        var data = reader.ReadTaggedField(out var tag);
        Assert.Equal(5, tag);
        var sub = reader.Nested(data);
        Assert.Equal(Api, sub.Api);
        Assert.Equal(Version, sub.Version);
        Assert.Equal(Field, sub.Field);
        sub.ReadInt16();
        var e = Assert.Throws<KafkaDecodeException>(() => ExpectEndOf(data, 2));
        Assert.Equal($"Malformed {Api} v{Version}, field {Field}: 1 bytes left over", e.Message);
        Assert.Contains("needs 4 bytes but only 1 remain", Fails(data.ToArray()[2..], (ref KafkaReader r) => r.ReadInt32()).Problem);
    }

    [Fact]
    public void Errors_outside_a_message_say_so()
    {
        var reader = new KafkaReader(ReadOnlyMemory<byte>.Empty);
        KafkaDecodeException? error = null;
        try
        {
            reader.ReadInt32();
        }
        catch (KafkaDecodeException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Null(error.Api);
        Assert.Null(error.Field);
        Assert.Equal("Malformed Kafka frame: needs 4 bytes but only 0 remain", error.Message);
    }

    private static void ExpectEndOf(ReadOnlyMemory<byte> data, int skip)
    {
        var reader = new KafkaReader(data) { Api = Api, Version = Version, Field = Field };
        reader.ReadRaw(skip);
        reader.ExpectEnd();
    }

    private static KafkaReader Reader(byte[] input) => new(input) { Api = Api, Version = Version, Field = Field };

    /// <summary>Runs <paramref name="read"/> on the input; it must throw the decode exception and nothing else.</summary>
    public static KafkaDecodeException Fails(byte[] input, ReadAction read)
    {
        var reader = Reader(input);
        try
        {
            read(ref reader);
        }
        catch (KafkaDecodeException e)
        {
            Assert.Equal(Api, e.Api);
            Assert.Equal(Version, e.Version);
            Assert.Equal(Field, e.Field);
            return e;
        }
        catch (Exception e)
        {
            Assert.Fail($"input {Hex(input)} threw {e.GetType().Name} instead of KafkaDecodeException: {e}");
        }

        Assert.Fail($"input {Hex(input)} was read although it is malformed");
        return null!;
    }
}
