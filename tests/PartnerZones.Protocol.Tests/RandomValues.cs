namespace PartnerZones.Protocol.Tests;

/// <summary>Random primitive values for the generated round-trip fillers, edge values included.</summary>
public static class RandomValues
{
    private static readonly string[] Strings = ["", "a", "topic-a", "zoné-ü-東京", "partner.zone_1", new string('x', 300)];

    public static sbyte Int8(Random rng) => (sbyte)rng.Next(sbyte.MinValue, sbyte.MaxValue + 1);

    public static short Int16(Random rng) => (short)rng.Next(short.MinValue, short.MaxValue + 1);

    public static ushort UInt16(Random rng) => (ushort)rng.Next(0, ushort.MaxValue + 1);

    public static int Int32(Random rng) => rng.Next(4) == 0 ? -1 : rng.Next(int.MinValue, int.MaxValue);

    public static uint UInt32(Random rng) => (uint)rng.NextInt64(0, uint.MaxValue + 1L);

    public static long Int64(Random rng) => rng.Next(4) == 0 ? -1 : rng.NextInt64(long.MinValue, long.MaxValue);

    public static double Float64(Random rng) => rng.NextDouble() * 1e6;

    public static Guid Uuid(Random rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        return new Guid(bytes);
    }

    public static string String(Random rng) => Strings[rng.Next(Strings.Length)];

    public static ReadOnlyMemory<byte> Bytes(Random rng)
    {
        var bytes = new byte[rng.Next(0, 40)];
        rng.NextBytes(bytes);
        return bytes;
    }
}
