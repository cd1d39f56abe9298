using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Primitives;

/// <summary>Every primitive that <see cref="KafkaWriter"/> writes, <see cref="KafkaReader"/> reads back
/// unchanged, using all of the bytes, edge values included.</summary>
public sealed class PrimitiveRoundTripTests
{
    private delegate T Read<out T>(ref KafkaReader reader);

    private static void RoundTrip<T>(T value, Action<KafkaWriter, T> write, Read<T> read, int? expectedSize = null)
    {
        using var writer = new KafkaWriter();
        write(writer, value);
        var bytes = writer.ToArray();
        if (expectedSize is { } size)
        {
            Assert.True(size == bytes.Length, $"{value} took {bytes.Length} bytes, expected {size}: {Convert.ToHexString(bytes)}");
        }

        var reader = new KafkaReader(bytes);
        var back = read(ref reader);
        Assert.Equal(value, back);
        Assert.True(reader.End, $"{value}: {reader.Remaining} bytes left of {Convert.ToHexString(bytes)}");
        Assert.Equal(bytes.Length, reader.Position);
    }

    [Theory]
    [InlineData(sbyte.MinValue)]
    [InlineData((sbyte)-1)]
    [InlineData((sbyte)0)]
    [InlineData((sbyte)1)]
    [InlineData(sbyte.MaxValue)]
    public void Int8(sbyte value) => RoundTrip(value, (w, v) => w.WriteInt8(v), (ref KafkaReader r) => r.ReadInt8(), 1);

    [Theory]
    [InlineData(short.MinValue)]
    [InlineData((short)-1)]
    [InlineData((short)0)]
    [InlineData((short)255)]
    [InlineData((short)256)]
    [InlineData(short.MaxValue)]
    public void Int16(short value) => RoundTrip(value, (w, v) => w.WriteInt16(v), (ref KafkaReader r) => r.ReadInt16(), 2);

    [Theory]
    [InlineData(ushort.MinValue)]
    [InlineData((ushort)0x8000)]
    [InlineData(ushort.MaxValue)]
    public void UInt16(ushort value) => RoundTrip(value, (w, v) => w.WriteUInt16(v), (ref KafkaReader r) => r.ReadUInt16(), 2);

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(0x01020304)]
    [InlineData(int.MaxValue)]
    public void Int32(int value) => RoundTrip(value, (w, v) => w.WriteInt32(v), (ref KafkaReader r) => r.ReadInt32(), 4);

    [Theory]
    [InlineData(uint.MinValue)]
    [InlineData(0x80000000u)]
    [InlineData(uint.MaxValue)]
    public void UInt32(uint value) => RoundTrip(value, (w, v) => w.WriteUInt32(v), (ref KafkaReader r) => r.ReadUInt32(), 4);

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(0x0102030405060708L)]
    [InlineData(long.MaxValue)]
    public void Int64(long value) => RoundTrip(value, (w, v) => w.WriteInt64(v), (ref KafkaReader r) => r.ReadInt64(), 8);

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.MinValue)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Float64(double value)
    {
        using var writer = new KafkaWriter();
        writer.WriteFloat64(value);
        var reader = new KafkaReader(writer.ToArray());
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(reader.ReadFloat64()));
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(0x7FF8_0000_0000_1234L)] // NaN with a payload
    [InlineData(unchecked((long)0x8000_0000_0000_0000UL))] // negative zero
    public void Float64_keeps_every_bit(long bits)
    {
        using var writer = new KafkaWriter();
        writer.WriteFloat64(BitConverter.Int64BitsToDouble(bits));
        var reader = new KafkaReader(writer.ToArray());
        Assert.Equal(bits, BitConverter.DoubleToInt64Bits(reader.ReadFloat64()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bool(bool value) => RoundTrip(value, (w, v) => w.WriteBool(v), (ref KafkaReader r) => r.ReadBool(), 1);

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("00112233-4455-6677-8899-aabbccddeeff")]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff")]
    [InlineData("01020304-0506-0708-090a-0b0c0d0e0f10")]
    public void Uuid(string value) => RoundTrip(Guid.Parse(value), (w, v) => w.WriteUuid(v), (ref KafkaReader r) => r.ReadUuid(), 16);

    [Theory]
    [InlineData(0u, 1)]
    [InlineData(1u, 1)]
    [InlineData(127u, 1)]
    [InlineData(128u, 2)]
    [InlineData(300u, 2)]
    [InlineData(16383u, 2)]
    [InlineData(16384u, 3)]
    [InlineData(2097151u, 3)]
    [InlineData(2097152u, 4)]
    [InlineData(268435455u, 4)]
    [InlineData(268435456u, 5)]
    [InlineData(0x7FFFFFFFu, 5)]
    [InlineData(0x80000000u, 5)]
    [InlineData(uint.MaxValue, 5)]
    public void Unsigned_varint(uint value, int size)
    {
        RoundTrip(value, (w, v) => w.WriteUVarint(v), (ref KafkaReader r) => r.ReadUVarint(), size);
        Assert.Equal(size, KafkaWriter.SizeOfUVarint(value));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(1, 1)]
    [InlineData(-64, 1)]
    [InlineData(63, 1)]
    [InlineData(-65, 2)]
    [InlineData(64, 2)]
    [InlineData(-8192, 2)]
    [InlineData(8191, 2)]
    [InlineData(-8193, 3)]
    [InlineData(8192, 3)]
    [InlineData(-1048576, 3)]
    [InlineData(1048575, 3)]
    [InlineData(-1048577, 4)]
    [InlineData(1048576, 4)]
    [InlineData(-134217728, 4)]
    [InlineData(134217727, 4)]
    [InlineData(-134217729, 5)]
    [InlineData(134217728, 5)]
    [InlineData(int.MinValue, 5)]
    [InlineData(int.MaxValue, 5)]
    public void Zigzag_varint(int value, int size) =>
        RoundTrip(value, (w, v) => w.WriteVarint(v), (ref KafkaReader r) => r.ReadVarint(), size);

    [Theory]
    [InlineData(0ul, 1)]
    [InlineData(127ul, 1)]
    [InlineData(128ul, 2)]
    [InlineData(uint.MaxValue, 5)]
    [InlineData(0x7_FFFF_FFFFul, 5)]
    [InlineData(0x8_0000_0000ul, 6)]
    [InlineData(0x00FF_FFFF_FFFF_FFFFul, 8)]
    [InlineData(0x7FFF_FFFF_FFFF_FFFFul, 9)]
    [InlineData(0x8000_0000_0000_0000ul, 10)]
    [InlineData(ulong.MaxValue, 10)]
    public void Unsigned_varlong(ulong value, int size) =>
        RoundTrip(value, (w, v) => w.WriteUVarlong(v), (ref KafkaReader r) => r.ReadUVarlong(), size);

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(-1L, 1)]
    [InlineData(1L, 1)]
    [InlineData(-64L, 1)]
    [InlineData(63L, 1)]
    [InlineData(64L, 2)]
    [InlineData((long)int.MinValue, 5)]
    [InlineData((long)int.MaxValue, 5)]
    [InlineData((long)int.MinValue - 1, 5)]
    [InlineData((long)int.MaxValue + 1, 5)]
    [InlineData(-17179869184L, 5)]
    [InlineData(17179869184L, 6)]
    [InlineData(-4611686018427387904L, 9)]
    [InlineData(4611686018427387903L, 9)]
    [InlineData(-4611686018427387905L, 10)]
    [InlineData(4611686018427387904L, 10)]
    [InlineData(long.MinValue, 10)]
    [InlineData(long.MaxValue, 10)]
    public void Zigzag_varlong(long value, int size) =>
        RoundTrip(value, (w, v) => w.WriteVarlong(v), (ref KafkaReader r) => r.ReadVarlong(), size);

    public static TheoryData<string?> Strings() =>
    [
        null,
        "",
        "a",
        "topic-a",
        "zoné-ü-東京",
        "\U0001F600 emoji",
        "\0 nul inside",
        "\uFEFF leading BOM",
        new string('x', 127),
        new string('x', 128),
        new string('é', 200),
        new string('x', short.MaxValue),
        new string('y', 70_000),
    ];

    [Theory]
    [MemberData(nameof(Strings))]
    public void Strings_in_every_encoding(string? value)
    {
        var utf8 = value is null ? -1 : System.Text.Encoding.UTF8.GetByteCount(value);
        foreach (var compact in new[] { false, true })
        {
            if (!compact && utf8 > short.MaxValue)
            {
                continue; // classic strings are limited to 32767 bytes; see WriterTests
            }

            RoundTrip(value, (w, v) => w.WriteNullableString(v, compact), (ref KafkaReader r) => r.ReadNullableString(compact));
            if (value is not null)
            {
                RoundTrip(value, (w, v) => w.WriteString(v, compact), (ref KafkaReader r) => r.ReadString(compact),
                    (compact ? KafkaWriter.SizeOfUVarint((uint)utf8 + 1) : 2) + utf8);
            }
        }
    }

    public static TheoryData<int> ByteLengths() => [0, 1, 126, 127, 128, 16_384, 100_000];

    [Theory]
    [MemberData(nameof(ByteLengths))]
    public void Bytes_in_every_encoding(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        foreach (var compact in new[] { false, true })
        {
            using var writer = new KafkaWriter();
            writer.WriteBytes(data.AsMemory(), compact);
            writer.WriteNullableBytes(data.AsMemory(), compact);
            writer.WriteNullableBytes(null, compact);
            writer.WriteBytes(data.AsSpan(), compact);
            var frame = writer.ToArray();

            var reader = new KafkaReader(frame);
            Assert.Equal(data, reader.ReadBytes(compact).ToArray());
            Assert.Equal(data, reader.ReadNullableBytes(compact)!.Value.ToArray());
            Assert.Null(reader.ReadNullableBytes(compact));
            var slice = reader.ReadBytes(compact);
            Assert.True(reader.End);

            // Zero copy: the bytes are a slice of the frame.
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(slice, out var segment));
            Assert.Same(frame, segment.Array);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(1000)]
    public void Array_counts_in_both_encodings(int count)
    {
        foreach (var compact in new[] { false, true })
        {
            using var writer = new KafkaWriter();
            writer.WriteArrayCount(count, compact);
            writer.WriteRaw(new byte[Math.Max(count, 0)]);
            var reader = new KafkaReader(writer.ToArray());
            Assert.Equal(count, reader.ReadArrayCount(compact));
            reader.ReadRaw(Math.Max(count, 0));
            Assert.True(reader.End);
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(7, 3)]
    [InlineData(127, 128)]
    [InlineData(128, 1)]
    [InlineData(int.MaxValue, 2)]
    public void Tagged_fields(int tag, int size)
    {
        var data = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        using var writer = new KafkaWriter();
        writer.WriteTaggedField(tag, data);
        var reader = new KafkaReader(writer.ToArray());
        var back = reader.ReadTaggedField(out var backTag);
        Assert.Equal(tag, backTag);
        Assert.Equal(data, back.ToArray());
        Assert.True(reader.End);
    }

    [Fact]
    public void Mixed_sequence_reads_back_in_order()
    {
        var id = Guid.NewGuid();
        using var writer = new KafkaWriter(16);
        writer.WriteInt8(-3);
        writer.WriteString("first", compact: false);
        writer.WriteVarint(-300);
        writer.WriteUuid(id);
        writer.WriteNullableString(null, compact: true);
        writer.WriteInt64(long.MinValue);
        writer.WriteBool(true);
        writer.WriteVarlong(long.MaxValue);
        writer.WriteString("last", compact: true);

        var reader = new KafkaReader(writer.ToArray());
        Assert.Equal(-3, reader.ReadInt8());
        Assert.Equal("first", reader.ReadString(false));
        Assert.Equal(-300, reader.ReadVarint());
        Assert.Equal(id, reader.ReadUuid());
        Assert.Null(reader.ReadNullableString(true));
        Assert.Equal(long.MinValue, reader.ReadInt64());
        Assert.True(reader.ReadBool());
        Assert.Equal(long.MaxValue, reader.ReadVarlong());
        Assert.Equal("last", reader.ReadString(true));
        Assert.True(reader.End);
        Assert.Equal(0, reader.Remaining);
    }
}
