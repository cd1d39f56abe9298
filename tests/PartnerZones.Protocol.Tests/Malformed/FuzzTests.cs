using System.Buffers.Binary;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Tests.Malformed;

/// <summary>
/// Fuzz-style property test with a fixed seed: random valid frames of every API, version and direction,
/// mutated (bit flips, byte changes, cuts, insertions, deletions, 4- and 2-byte windows overwritten with
/// extreme values, huge varints, repeated chunks). Every decode must either succeed or throw
/// <see cref="KafkaDecodeException"/> naming the message, version and field, and allocate at most
/// 16 times the input size plus 64 KiB. A frame that decodes must also encode again, and that encoding
/// must survive a further decode and encode unchanged.
/// </summary>
public sealed class FuzzTests
{
    /// <summary>Mutated decodes across all cases; each case gets a share, within the bounds below, so the
    /// test stays within seconds however many APIs the registry grows to.</summary>
    private const int TotalBudget = 40_000;

    private const int MinPerCase = 50;

    private const int MaxPerCase = 1_000;

    private const int BaseFramesPerCase = 8;

    private static readonly byte[][] Window4 =
    [
        [0x7F, 0xFF, 0xFF, 0xFF],
        [0xFF, 0xFF, 0xFF, 0xFF],
        [0x80, 0x00, 0x00, 0x00],
        [0xFF, 0xFF, 0xFF, 0xF9],
        [0x00, 0x01, 0x00, 0x00],
    ];

    private static readonly byte[][] Window2 = [[0x7F, 0xFF], [0xFF, 0xFF], [0x80, 0x00], [0xFF, 0xFE]];

    private static readonly byte[][] Varints =
    [
        [0xFF, 0xFF, 0xFF, 0xFF, 0x07],
        [0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
        [0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        [0x80, 0x80, 0x04],
        [0x00],
    ];

    public static int MutationsPerCase => Math.Clamp(TotalBudget / Math.Max(Decoding.CaseCount, 1), MinPerCase, MaxPerCase);

    [Theory]
    [MemberData(nameof(Decoding.EveryApiVersionAndDirection), MemberType = typeof(Decoding))]
    public void Mutated_frames_decode_or_fail_with_a_located_decode_error_and_bounded_allocation(short apiKey, short version, bool request)
    {
        var c = Decoding.CaseOf(apiKey, version, request);
        var rng = new Random(HashCode.Combine(20240601, apiKey, version, request));
        var frames = Enumerable.Range(0, BaseFramesPerCase).Select(seed => { c.Random(seed, out var f); return f; }).ToArray();
        var failures = new List<string>();
        var decoded = 0;
        var rejected = 0;
        var perCase = MutationsPerCase;
        for (var i = 0; i < perCase && failures.Count < 20; i++)
        {
            var original = frames[i % frames.Length];
            var frame = original;
            var steps = new List<string>();
            var count = 1 + rng.Next(3);
            for (var m = 0; m < count; m++)
            {
                frame = Mutate(frame, rng, steps);
            }

            var limit = Decoding.SmallAllocation + (16L * frame.Length);
            var outcome = Decoding.DecodeWarm(c, frame, limit);
            var problem = Decoding.Problem(c, outcome);
            if (problem is null && outcome.Allocated >= limit)
            {
                problem = $"allocated {outcome.Allocated} bytes, limit {limit}";
            }

            if (problem is null && outcome.Error is null)
            {
                decoded++;
                problem = ReencodeProblem(c, outcome);
            }
            else if (outcome.Error is not null)
            {
                rejected++;
            }

            if (problem is not null)
            {
                failures.Add($"{c} mutation {i} ({string.Join("; ", steps)}) of {Decoding.Hex(original, 64)} -> {Decoding.Hex(frame, 120)}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures));
        Assert.Equal(perCase, decoded + rejected);
    }

    private static string? ReencodeProblem(Case c, Outcome outcome)
    {
        try
        {
            var first = outcome.Message.Encode(c.Version);
            var again = Decoding.Decode(c, first);
            if (again.Error is not null || again.Unexpected is not null)
            {
                return $"decoded, but its encoding {Decoding.Hex(first, 120)} does not decode: {again.Error?.Message ?? again.Unexpected?.ToString()}";
            }

            var second = again.Message.Encode(c.Version);
            return first.AsSpan().SequenceEqual(second)
                ? null
                : $"decoded, but encode-decode-encode is not stable: {Decoding.Hex(first, 120)} then {Decoding.Hex(second, 120)}";
        }
        catch (Exception e)
        {
            return $"decoded, but encoding the result threw {e.GetType().Name}: {e.Message}";
        }
    }

    private static byte[] Mutate(byte[] frame, Random rng, List<string> steps)
    {
        int At(int extra = 0) => rng.Next(Math.Max(frame.Length - extra, 0) + 1);

        switch (rng.Next(10))
        {
            case 0:
            {
                if (frame.Length == 0)
                {
                    goto default;
                }

                var at = rng.Next(frame.Length);
                var bit = rng.Next(8);
                steps.Add($"flip bit {bit} at {at}");
                var copy = (byte[])frame.Clone();
                copy[at] ^= (byte)(1 << bit);
                return copy;
            }

            case 1:
            {
                if (frame.Length == 0)
                {
                    goto default;
                }

                var at = rng.Next(frame.Length);
                var value = (byte)rng.Next(256);
                steps.Add($"byte {at} = {value:X2}");
                var copy = (byte[])frame.Clone();
                copy[at] = value;
                return copy;
            }

            case 2:
            {
                var length = At();
                steps.Add($"cut to {length}");
                return frame[..length];
            }

            case 3:
            {
                var at = At();
                var insert = new byte[1 + rng.Next(8)];
                rng.NextBytes(insert);
                steps.Add($"insert {Convert.ToHexString(insert)} at {at}");
                return Decoding.Splice(frame, at, 0, insert);
            }

            case 4:
            {
                if (frame.Length == 0)
                {
                    goto default;
                }

                var at = rng.Next(frame.Length);
                var remove = Math.Min(1 + rng.Next(8), frame.Length - at);
                steps.Add($"delete {remove} at {at}");
                return Decoding.Splice(frame, at, remove, []);
            }

            case 5:
            case 6:
            {
                if (frame.Length < 4)
                {
                    goto default;
                }

                var at = rng.Next(frame.Length - 3);
                var window = Window4[rng.Next(Window4.Length)];
                steps.Add($"int32 {BinaryPrimitives.ReadInt32BigEndian(window)} at {at}");
                return Decoding.Splice(frame, at, 4, window);
            }

            case 7:
            {
                if (frame.Length < 2)
                {
                    goto default;
                }

                var at = rng.Next(frame.Length - 1);
                var window = Window2[rng.Next(Window2.Length)];
                steps.Add($"int16 {BinaryPrimitives.ReadInt16BigEndian(window)} at {at}");
                return Decoding.Splice(frame, at, 2, window);
            }

            case 8:
            {
                // A varint in place of a one-byte compact length, count, tag or size.
                if (frame.Length == 0)
                {
                    goto default;
                }

                var at = rng.Next(frame.Length);
                var varint = Varints[rng.Next(Varints.Length)];
                steps.Add($"varint {Convert.ToHexString(varint)} over byte {at}");
                return Decoding.Splice(frame, at, 1, varint);
            }

            case 9:
            {
                // Repeat a chunk: more elements than the count says, or a count that now lies.
                if (frame.Length == 0)
                {
                    goto default;
                }

                var from = rng.Next(frame.Length);
                var length = 1 + rng.Next(Math.Min(frame.Length - from, 64));
                var at = At();
                steps.Add($"copy {length} bytes from {from} to {at}");
                return Decoding.Splice(frame, at, 0, frame.AsSpan(from, length));
            }

            default:
            {
                var insert = new byte[1 + rng.Next(4)];
                rng.NextBytes(insert);
                steps.Add($"append {Convert.ToHexString(insert)}");
                return [.. frame, .. insert];
            }
        }
    }
}
