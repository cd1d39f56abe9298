using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Primitives;

/// <summary>Exact bytes on the wire for known values, from the Kafka protocol guide, and the reverse read.</summary>
public sealed class WireBytesTests
{
    private delegate T Read<out T>(ref KafkaReader reader);

    private static void Wire<T>(string hex, T value, Action<KafkaWriter> write, Read<T> read)
    {
        using var writer = new KafkaWriter();
        write(writer);
        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), Convert.ToHexString(writer.WrittenSpan));

        var reader = new KafkaReader(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
        Assert.Equal(value, read(ref reader));
        Assert.True(reader.End);
    }

    [Fact]
    public void Zigzag_varints()
    {
        Wire("00", 0, w => w.WriteVarint(0), (ref KafkaReader r) => r.ReadVarint());
        Wire("01", -1, w => w.WriteVarint(-1), (ref KafkaReader r) => r.ReadVarint());
        Wire("02", 1, w => w.WriteVarint(1), (ref KafkaReader r) => r.ReadVarint());
        Wire("03", -2, w => w.WriteVarint(-2), (ref KafkaReader r) => r.ReadVarint());
        Wire("7F", -64, w => w.WriteVarint(-64), (ref KafkaReader r) => r.ReadVarint());
        Wire("80 01", 64, w => w.WriteVarint(64), (ref KafkaReader r) => r.ReadVarint());
        Wire("D8 04", 300, w => w.WriteVarint(300), (ref KafkaReader r) => r.ReadVarint());
        Wire("FE FF FF FF 0F", int.MaxValue, w => w.WriteVarint(int.MaxValue), (ref KafkaReader r) => r.ReadVarint());
        Wire("FF FF FF FF 0F", int.MinValue, w => w.WriteVarint(int.MinValue), (ref KafkaReader r) => r.ReadVarint());
    }

    [Fact]
    public void Unsigned_varints()
    {
        Wire("00", 0u, w => w.WriteUVarint(0), (ref KafkaReader r) => r.ReadUVarint());
        Wire("7F", 127u, w => w.WriteUVarint(127), (ref KafkaReader r) => r.ReadUVarint());
        Wire("80 01", 128u, w => w.WriteUVarint(128), (ref KafkaReader r) => r.ReadUVarint());
        Wire("AC 02", 300u, w => w.WriteUVarint(300), (ref KafkaReader r) => r.ReadUVarint());
        Wire("FF FF FF FF 0F", uint.MaxValue, w => w.WriteUVarint(uint.MaxValue), (ref KafkaReader r) => r.ReadUVarint());
    }

    [Fact]
    public void Varlongs()
    {
        Wire("01", -1L, w => w.WriteVarlong(-1), (ref KafkaReader r) => r.ReadVarlong());
        Wire("FE FF FF FF FF FF FF FF FF 01", long.MaxValue, w => w.WriteVarlong(long.MaxValue), (ref KafkaReader r) => r.ReadVarlong());
        Wire("FF FF FF FF FF FF FF FF FF 01", long.MinValue, w => w.WriteVarlong(long.MinValue), (ref KafkaReader r) => r.ReadVarlong());
        Wire("FF FF FF FF FF FF FF FF FF 01", ulong.MaxValue, w => w.WriteUVarlong(ulong.MaxValue), (ref KafkaReader r) => r.ReadUVarlong());
        Wire("80 80 80 80 80 80 80 80 80 01", 1ul << 63, w => w.WriteUVarlong(1ul << 63), (ref KafkaReader r) => r.ReadUVarlong());
    }

    [Fact]
    public void Varints_with_redundant_continuation_bytes_read_as_their_value()
    {
        // Not what the writer emits, but valid LEB128 that the Java client also accepts.
        var reader = new KafkaReader(new byte[] { 0x80, 0x00, 0xFF, 0x80, 0x80, 0x80, 0x00 });
        Assert.Equal(0u, reader.ReadUVarint());
        Assert.Equal(0x7Fu, reader.ReadUVarint());
        Assert.True(reader.End);
    }

    [Fact]
    public void Fixed_width_integers_are_big_endian()
    {
        Wire("80", (sbyte)-128, w => w.WriteInt8(-128), (ref KafkaReader r) => r.ReadInt8());
        Wire("01 02", (short)0x0102, w => w.WriteInt16(0x0102), (ref KafkaReader r) => r.ReadInt16());
        Wire("FF FE", (short)-2, w => w.WriteInt16(-2), (ref KafkaReader r) => r.ReadInt16());
        Wire("FF FE", (ushort)0xFFFE, w => w.WriteUInt16(0xFFFE), (ref KafkaReader r) => r.ReadUInt16());
        Wire("00 00 00 01", 1, w => w.WriteInt32(1), (ref KafkaReader r) => r.ReadInt32());
        Wire("80 00 00 00", int.MinValue, w => w.WriteInt32(int.MinValue), (ref KafkaReader r) => r.ReadInt32());
        Wire("DE AD BE EF", 0xDEADBEEFu, w => w.WriteUInt32(0xDEADBEEF), (ref KafkaReader r) => r.ReadUInt32());
        Wire("FF FF FF FF FF FF FF FE", -2L, w => w.WriteInt64(-2), (ref KafkaReader r) => r.ReadInt64());
        Wire("3F F0 00 00 00 00 00 00", 1.0, w => w.WriteFloat64(1.0), (ref KafkaReader r) => r.ReadFloat64());
        Wire("00", false, w => w.WriteBool(false), (ref KafkaReader r) => r.ReadBool());
        Wire("01", true, w => w.WriteBool(true), (ref KafkaReader r) => r.ReadBool());
    }

    [Fact]
    public void Uuid_is_written_most_significant_byte_first()
    {
        var id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        Wire("00112233445566778899AABBCCDDEEFF", id, w => w.WriteUuid(id), (ref KafkaReader r) => r.ReadUuid());

        var reader = new KafkaReader(Convert.FromHexString("0123456789ABCDEF0123456789ABCDEF"));
        Assert.Equal("01234567-89ab-cdef-0123-456789abcdef", reader.ReadUuid().ToString());
    }

    [Fact]
    public void Strings()
    {
        Wire("02 61", "a", w => w.WriteString("a", compact: true), (ref KafkaReader r) => r.ReadString(true));
        Wire("01", "", w => w.WriteString("", compact: true), (ref KafkaReader r) => r.ReadString(true));
        Wire("00", (string?)null, w => w.WriteNullableString(null, compact: true), (ref KafkaReader r) => r.ReadNullableString(true));
        Wire("00 01 61", "a", w => w.WriteString("a", compact: false), (ref KafkaReader r) => r.ReadString(false));
        Wire("00 00", "", w => w.WriteString("", compact: false), (ref KafkaReader r) => r.ReadString(false));
        Wire("FF FF", (string?)null, w => w.WriteNullableString(null, compact: false), (ref KafkaReader r) => r.ReadNullableString(false));
        Wire("03 C3 A9", "é", w => w.WriteString("é", compact: true), (ref KafkaReader r) => r.ReadString(true));
        Wire("00 04 F0 9F 98 80", "\U0001F600", w => w.WriteString("\U0001F600", compact: false), (ref KafkaReader r) => r.ReadString(false));

        var long128 = new string('x', 128);
        Wire("81 01" + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(long128)), long128,
            w => w.WriteString(long128, compact: true), (ref KafkaReader r) => r.ReadString(true));
    }

    [Fact]
    public void Bytes_and_arrays()
    {
        using var writer = new KafkaWriter();
        writer.WriteBytes(new byte[] { 1, 2 }.AsSpan(), compact: false);
        writer.WriteBytes(new byte[] { 1, 2 }.AsSpan(), compact: true);
        writer.WriteNullableBytes(null, compact: false);
        writer.WriteNullableBytes(null, compact: true);
        writer.WriteArrayCount(3, compact: false);
        writer.WriteArrayCount(3, compact: true);
        writer.WriteArrayCount(-1, compact: false);
        writer.WriteArrayCount(-1, compact: true);
        writer.WriteArrayCount(0, compact: true);
        writer.WriteTaggedField(7, new byte[] { 0xAA });
        Assert.Equal("000000020102" + "030102" + "FFFFFFFF" + "00" + "00000003" + "04" + "FFFFFFFF" + "00" + "01" + "0701AA",
            Convert.ToHexString(writer.WrittenSpan));
    }
}
