using System.Text;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Protocol.Tests.Records;

public sealed class Crc32CTests
{
    // The check value of the CRC-32C catalogue entry and the iSCSI test vectors of RFC 3720 B.4.
    public static TheoryData<byte[], uint> KnownVectors() => new()
    {
        { Encoding.ASCII.GetBytes("123456789"), 0xE3069283 },
        { [], 0x00000000 },
        { new byte[32], 0x8A9136AA },
        { Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0x62A8AB43 },
        { Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0x46DD794E },
        { Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0x113FDB5C },
    };

    [Theory]
    [MemberData(nameof(KnownVectors))]
    public void Matches_known_vectors(byte[] data, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(data));
        Assert.Equal(expected, Crc32C.ComputeSoftware(data));
    }

    [Fact]
    public void Hardware_and_table_paths_agree_on_every_length_and_alignment()
    {
        var rng = new Random(1);
        var data = new byte[700];
        rng.NextBytes(data);
        for (var start = 0; start < 9; start++)
        {
            for (var length = 0; length <= data.Length - start; length += 1 + (length / 16))
            {
                var slice = data.AsSpan(start, length);
                Assert.Equal(Crc32C.ComputeSoftware(slice), Crc32C.Compute(slice));
                Assert.Equal(ReferenceCrc(slice), Crc32C.Compute(slice));
            }
        }
    }

    [Fact]
    public void Update_continues_a_crc_across_pieces()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog, twice over.");
        var whole = Crc32C.Compute(data);
        for (var split = 0; split <= data.Length; split++)
        {
            Assert.Equal(whole, Crc32C.Update(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    /// <summary>Bit-at-a-time definition, independent of both implementations under test.</summary>
    private static uint ReferenceCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }

        return ~crc;
    }
}
