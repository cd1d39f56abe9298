using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace PartnerZones.Protocol.Primitives;

/// <summary>
/// Writes Kafka primitives into a growable buffer rented from the shared pool. Dispose returns the
/// buffer; <see cref="WrittenMemory"/> is valid until then. One writer can be reset and reused per
/// connection so the hot path does not allocate.
/// </summary>
public sealed class KafkaWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _position;

    public KafkaWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
    }

    public int Position => _position;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Reset() => _position = 0;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Advance(int count) => _position += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_position);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_position);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Grab(int count)
    {
        Ensure(count);
        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + count));
        _buffer.AsSpan(0, _position).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = next;
    }

    /// <summary>Reserves 4 bytes for a length written later with <see cref="PatchInt32"/>.</summary>
    public int ReserveInt32()
    {
        var at = _position;
        Grab(4);
        return at;
    }

    public void PatchInt32(int at, int value) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(at, 4), value);

    /// <summary>Overwrites one byte already written (a checksum computed over bytes written after it).</summary>
    public void PatchByte(int at, byte value) => _buffer.AsSpan(at, _position - at)[0] = value;

    public void WriteInt8(sbyte value) => Grab(1)[0] = (byte)value;

    public void WriteByte(byte value) => Grab(1)[0] = value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Grab(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grab(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grab(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grab(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Grab(8), value);

    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Grab(8), value);

    public void WriteBool(bool value) => Grab(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteUuid(Guid value)
    {
        if (!value.TryWriteBytes(Grab(16), bigEndian: true, out _))
        {
            throw new InvalidOperationException("UUID did not fit in 16 bytes.");
        }
    }

    public void WriteUVarint(uint value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    public void WriteUVarlong(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        WriteByte((byte)value);
    }

    public void WriteVarint(int value) => WriteUVarint((uint)((value << 1) ^ (value >> 31)));

    public void WriteVarlong(long value) => WriteUVarlong((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Bytes an unsigned varint takes.</summary>
    public static int SizeOfUVarint(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private void WriteLength(int length, bool compact, bool wide)
    {
        if (compact)
        {
            WriteUVarint((uint)(length + 1));
        }
        else if (wide)
        {
            WriteInt32(length);
        }
        else
        {
            WriteInt16(checked((short)length));
        }
    }

    public void WriteString(string value, bool compact) => WriteNullableString(value, compact);

    public void WriteNullableString(string? value, bool compact)
    {
        if (value is null)
        {
            WriteLength(-1, compact, wide: false);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        if (!compact && byteCount > short.MaxValue)
        {
            throw new ArgumentException($"String of {byteCount} bytes is longer than a Kafka string may be ({short.MaxValue}).");
        }

        WriteLength(byteCount, compact, wide: false);
        Encoding.UTF8.GetBytes(value, Grab(byteCount));
    }

    public void WriteBytes(ReadOnlyMemory<byte> value, bool compact) => WriteBytes(value.Span, compact);

    public void WriteBytes(ReadOnlySpan<byte> value, bool compact)
    {
        WriteLength(value.Length, compact, wide: true);
        value.CopyTo(Grab(value.Length));
    }

    public void WriteNullableBytes(ReadOnlyMemory<byte>? value, bool compact)
    {
        if (value is null)
        {
            WriteLength(-1, compact, wide: true);
            return;
        }

        WriteBytes(value.Value.Span, compact);
    }

    public void WriteArrayCount(int count, bool compact) => WriteLength(count, compact, wide: true);

    public void WriteRaw(ReadOnlySpan<byte> data) => data.CopyTo(Grab(data.Length));

    /// <summary>Writes one tagged field whose data is already encoded.</summary>
    public void WriteTaggedField(int tag, ReadOnlySpan<byte> data)
    {
        WriteUVarint((uint)tag);
        WriteUVarint((uint)data.Length);
        WriteRaw(data);
    }
}
