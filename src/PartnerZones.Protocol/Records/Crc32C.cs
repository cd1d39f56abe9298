using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;
using X86Sse42 = System.Runtime.Intrinsics.X86.Sse42;

namespace PartnerZones.Protocol.Records;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of a magic-2 record batch.
/// Uses the CPU's CRC32C instruction (SSE4.2 on x86, CRC32 on Arm) when present and a slicing-by-8
/// table otherwise. .NET 10's System.IO.Hashing has no CRC-32C (only CRC-32/IEEE), hence our own.
/// </summary>
public static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Update(0, data);

    /// <summary>Continues a CRC: <c>Update(Compute(a), b) == Compute(a + b)</c>, and <c>Update(0, x) == Compute(x)</c>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data) => ~UpdateRaw(~crc, data);

    /// <summary>Works on the un-inverted register so the pre/post inversion happens once per call.</summary>
    private static uint UpdateRaw(uint state, ReadOnlySpan<byte> data)
    {
        if (X86Sse42.X64.IsSupported)
        {
            return UpdateX64(state, data);
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            return UpdateArm64(state, data);
        }

        if (X86Sse42.IsSupported)
        {
            return UpdateX86(state, data);
        }

        return Crc32CTable.Update(state, data);
    }

    private static uint UpdateX64(uint state, ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var i = 0;
        ulong wide = state;

        // Four independent loads per iteration keep the loop overhead small; the instruction chain
        // itself is serial (each step depends on the previous CRC), which is still several GB/s.
        for (; i <= length - 32; i += 32)
        {
            wide = X86Sse42.X64.Crc32(wide, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
            wide = X86Sse42.X64.Crc32(wide, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 8)));
            wide = X86Sse42.X64.Crc32(wide, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 16)));
            wide = X86Sse42.X64.Crc32(wide, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 24)));
        }

        for (; i <= length - 8; i += 8)
        {
            wide = X86Sse42.X64.Crc32(wide, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        }

        var crc = (uint)wide;
        for (; i < length; i++)
        {
            crc = X86Sse42.Crc32(crc, Unsafe.Add(ref start, i));
        }

        return crc;
    }

    private static uint UpdateArm64(uint state, ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var i = 0;
        var crc = state;

        // The instructions consume little-endian words, which is what Arm64 loads produce.
        for (; i <= length - 8; i += 8)
        {
            crc = ArmCrc32.Arm64.ComputeCrc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        }

        for (; i < length; i++)
        {
            crc = ArmCrc32.ComputeCrc32C(crc, Unsafe.Add(ref start, i));
        }

        return crc;
    }

    private static uint UpdateX86(uint state, ReadOnlySpan<byte> data)
    {
        var i = 0;
        var crc = state;
        for (; i <= data.Length - 4; i += 4)
        {
            crc = X86Sse42.Crc32(crc, BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i, 4)));
        }

        for (; i < data.Length; i++)
        {
            crc = X86Sse42.Crc32(crc, data[i]);
        }

        return crc;
    }

    /// <summary>The table path regardless of hardware, so tests can check both paths agree.</summary>
    internal static uint ComputeSoftware(ReadOnlySpan<byte> data) => ~Crc32CTable.Update(~0u, data);
}
