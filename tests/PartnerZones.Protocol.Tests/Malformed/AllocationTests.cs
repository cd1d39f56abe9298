using System.Collections;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using Xunit.Abstractions;

namespace PartnerZones.Protocol.Tests.Malformed;

/// <summary>
/// Decoding allocates in proportion to the input, never in proportion to what a length or count claims.
/// Lying counts are covered where they are found (<see cref="LocatedFieldTests"/>, <see cref="MessageInputTests"/>);
/// here the input is honest but as dense as the schema allows: one array of every message repeated to fill
/// about 16 KiB with its smallest elements, and flexible messages stuffed with empty unknown tagged fields.
/// Such frames cost the most objects per wire byte, so they bound what any frame of that size can cost.
/// </summary>
public sealed class AllocationTests(ITestOutputHelper output)
{
    private const int TargetFrameSize = 16 * 1024;

    /// <summary>Allocated bytes per input byte that a dense frame may cost. Measured worst cases at 16-64 KiB when
    /// written: 32 for MetadataRequest v0-9 (2-byte topics become 48-byte objects plus list growth) and 24 for
    /// empty unknown tagged fields (2 bytes each, 24-byte entries in a list grown by doubling); both creep up
    /// with size as the lists double (34 and 31 at 100 KB).
    /// Random and mutated frames stay below 16 (see <see cref="FuzzTests"/>).</summary>
    // CreatePartitions v2's nested assignment lists cost about 56 bytes per 2-byte element.
    private const int MaxBytesPerInputByte = 64;

    /// <summary>An unknown tag that fits one varint byte. If an API ever defines it, the flood is simply known fields.</summary>
    private const int FloodTag = 127;

    [Theory]
    [MemberData(nameof(Decoding.EveryApiVersionAndDirection), MemberType = typeof(Decoding))]
    public void Dense_honest_frames_allocate_in_proportion_to_their_size(short apiKey, short version, bool request)
    {
        var c = Decoding.CaseOf(apiKey, version, request);
        var failures = new List<string>();
        var worst = (Ratio: 0.0, What: "nothing dense found");
        var frames = 0;
        for (var seed = 0; seed < 12 && frames < 4; seed++)
        {
            var message = c.Random(seed, out _);
            Shrink(message);
            foreach (var (what, frame) in DenseFrames(c, message))
            {
                frames++;
                foreach (var (label, input, mustFail) in new[] { ("whole", frame, false), ("last byte cut", frame[..^1], true) })
                {
                    var outcome = Decoding.Decode(c, input);
                    var ratio = (double)outcome.Allocated / input.Length;
                    var problem = Decoding.Problem(c, outcome);
                    if (problem is null && mustFail != (outcome.Error is not null))
                    {
                        problem = mustFail ? "decoded a cut-off frame" : $"valid frame failed: {outcome.Error!.Message}";
                    }

                    if (problem is null && outcome.Allocated > Decoding.SmallAllocation + ((long)MaxBytesPerInputByte * input.Length))
                    {
                        problem = $"allocated {outcome.Allocated} bytes for {input.Length} ({ratio:F1} per byte)";
                    }

                    if (problem is not null)
                    {
                        failures.Add($"{c} seed {seed} {what} ({label}): {problem}");
                    }

                    if (ratio > worst.Ratio)
                    {
                        worst = (ratio, $"{what} ({label}), {input.Length} bytes");
                    }
                }
            }
        }

        output.WriteLine($"{c} {(request ? "request" : "response")}: worst {worst.Ratio:F1} bytes allocated per input byte: {worst.What}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Strings and bytes empty, arrays cut to their first element: the smallest elements the random
    /// message has, so repeating one gives the densest honest array.</summary>
    private static void Shrink(IKafkaMessage message)
    {
        foreach (var (owner, prop) in FieldLocator.Slots(message))
        {
            var type = prop.PropertyType;
            if (type == typeof(string))
            {
                prop.SetValue(owner, "");
            }
            else if (type == typeof(ReadOnlyMemory<byte>) || type == typeof(ReadOnlyMemory<byte>?))
            {
                prop.SetValue(owner, ReadOnlyMemory<byte>.Empty);
            }
            else if (FieldLocator.ListElement(type) is not null && prop.GetValue(owner) is IList { Count: > 1 } list)
            {
                while (list.Count > 1)
                {
                    list.RemoveAt(list.Count - 1);
                }
            }
        }
    }

    private static IEnumerable<(string What, byte[] Frame)> DenseFrames(Case c, IKafkaMessage message)
    {
        foreach (var (owner, prop) in FieldLocator.Slots(message))
        {
            if (FieldLocator.ListElement(prop.PropertyType) is null || prop.GetValue(owner) is not IList { Count: 1 } list)
            {
                continue;
            }

            var element = list[0];
            var one = message.Encode(c.Version);
            list.Add(element);
            var two = message.Encode(c.Version);
            var size = two.Length - one.Length;
            if (size <= 0)
            {
                list.RemoveAt(1);
                continue; // not on the wire in this version
            }

            var copies = Math.Clamp(TargetFrameSize / size, 2, 200_000);
            while (list.Count < copies)
            {
                list.Add(element);
            }

            var frame = message.Encode(c.Version);
            while (list.Count > 1)
            {
                list.RemoveAt(list.Count - 1);
            }

            yield return ($"{copies} x {size}-byte {owner.GetType().Name}.{prop.Name}", frame);
        }

        if (c.Flexible && message.GetType().GetProperty("UnknownTaggedFields") is { } unknown)
        {
            var saved = unknown.GetValue(message);
            var count = TargetFrameSize / 2;
            unknown.SetValue(message, Enumerable.Repeat(new TaggedField(FloodTag, ReadOnlyMemory<byte>.Empty), count).ToList());
            var frame = message.Encode(c.Version);
            unknown.SetValue(message, saved);
            yield return ($"{count} empty tagged fields", frame);
        }
    }
}
