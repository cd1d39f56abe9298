using System.Buffers;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Primitives;

/// <summary>The growable pooled buffer behind <see cref="KafkaWriter"/>.</summary>
public sealed class WriterTests
{
    [Fact]
    public void Grows_past_its_initial_capacity_keeping_what_was_written()
    {
        using var writer = new KafkaWriter(initialCapacity: 1);
        var expected = new List<byte>();
        for (var i = 0; i < 10_000; i++)
        {
            writer.WriteByte((byte)i);
            expected.Add((byte)i);
        }

        var big = new byte[100_000];
        new Random(1).NextBytes(big);
        writer.WriteRaw(big);
        expected.AddRange(big);
        Assert.Equal(expected.Count, writer.Position);
        Assert.Equal(expected.ToArray(), writer.ToArray());
        Assert.Equal(expected.ToArray(), writer.WrittenMemory.ToArray());
    }

    [Fact]
    public void Reserved_int32_is_patched_in_place()
    {
        using var writer = new KafkaWriter(16);
        writer.WriteInt8(9);
        var at = writer.ReserveInt32();
        writer.WriteRaw(new byte[300]);
        writer.PatchInt32(at, 300);
        var bytes = writer.ToArray();
        Assert.Equal(305, bytes.Length);
        Assert.Equal(new byte[] { 9, 0, 0, 1, 44 }, bytes[..5]);
    }

    [Fact]
    public void Reset_starts_over_and_reuses_the_buffer()
    {
        using var writer = new KafkaWriter();
        writer.WriteInt64(-1);
        writer.Reset();
        Assert.Equal(0, writer.Position);
        writer.WriteInt16(7);
        Assert.Equal(new byte[] { 0, 7 }, writer.ToArray());
    }

    [Fact]
    public void Works_as_a_buffer_writer()
    {
        using var writer = new KafkaWriter(16);
        IBufferWriter<byte> buffer = writer;
        var span = buffer.GetSpan(1000);
        Assert.True(span.Length >= 1000);
        span[..3].Fill(0x42);
        buffer.Advance(3);
        var memory = buffer.GetMemory();
        Assert.True(memory.Length >= 1);
        memory.Span[0] = 0x43;
        buffer.Advance(1);
        Assert.Equal(new byte[] { 0x42, 0x42, 0x42, 0x43 }, writer.ToArray());
    }

    [Fact]
    public void Dispose_twice_is_harmless()
    {
        var writer = new KafkaWriter();
        writer.WriteInt32(1);
        writer.Dispose();
        writer.Dispose();
        Assert.Equal(0, writer.Position);
    }

    [Fact]
    public void A_classic_string_longer_than_32767_bytes_is_refused_by_the_writer()
    {
        using var writer = new KafkaWriter();
        Assert.Throws<ArgumentException>(() => writer.WriteString(new string('x', short.MaxValue + 1), compact: false));
        Assert.Throws<ArgumentException>(() => writer.WriteString(new string('é', 16_384), compact: false));
        writer.Reset();
        writer.WriteString(new string('x', short.MaxValue), compact: false);
        Assert.Equal(2 + short.MaxValue, writer.Position);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(127u)]
    [InlineData(128u)]
    [InlineData(uint.MaxValue)]
    public void SizeOfUVarint_matches_what_is_written(uint value)
    {
        using var writer = new KafkaWriter();
        writer.WriteUVarint(value);
        Assert.Equal(writer.Position, KafkaWriter.SizeOfUVarint(value));
    }
}
