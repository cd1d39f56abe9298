namespace PartnerZones.Protocol.Tests.Malformed;

/// <summary>
/// For every API, version and direction, every string, bytes, array and bool field that
/// <see cref="FieldLocator"/> finds on the wire is broken in each way the protocol forbids: negative and
/// oversized lengths and counts, over-long varints, bad UTF-8, null where the field does not allow it,
/// bool bytes other than 0 and 1. Each must fail with the decode exception naming that very field, and a
/// lying length must fail before the decoder allocates for it.
/// </summary>
public sealed class LocatedFieldTests
{
    private const int FramesPerCase = 3;

    private static readonly byte[][] BadUtf8 =
    [
        [0xC3, 0x28],             // two-byte lead followed by ASCII
        [0xC0, 0xAF],             // overlong encoding of '/'
        [0xED, 0xA0, 0x80],       // lone high surrogate U+D800
        [0xED, 0xBF, 0xBF],       // lone low surrogate U+DFFF
        [0xF4, 0x90, 0x80, 0x80], // beyond U+10FFFF
        [0xE2, 0x82],             // truncated three-byte sequence
        [0xFF],                   // never valid
        [0x80],                   // continuation byte without lead
    ];

    private static readonly byte[] UVarintMaxInt = [0xFF, 0xFF, 0xFF, 0xFF, 0x07];   // 2^31 - 1
    private static readonly byte[] UVarintMaxUInt = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F];  // 2^32 - 1
    private static readonly byte[] UVarint33Bits = [0xFF, 0xFF, 0xFF, 0xFF, 0x1F];
    private static readonly byte[] UVarintSixBytes = [0x80, 0x80, 0x80, 0x80, 0x80, 0x01];

    [Theory]
    [MemberData(nameof(Decoding.EveryApiVersionAndDirection), MemberType = typeof(Decoding))]
    public void Every_located_field_rejects_malformed_values_with_its_own_name(short apiKey, short version, bool request)
    {
        var c = Decoding.CaseOf(apiKey, version, request);
        var failures = new List<string>();
        for (var seed = 0; seed < FramesPerCase; seed++)
        {
            var message = c.Random(seed, out _);
            foreach (var location in FieldLocator.Locate(c, message))
            {
                var control = Decoding.Decode(c, location.Frame);
                if (control.Error is not null || control.Unexpected is not null)
                {
                    failures.Add($"{c} {location}: the unmodified frame failed: {control.Error?.Message ?? control.Unexpected?.ToString()}");
                    continue;
                }

                foreach (var (name, frame, expect) in Mutations(c, location))
                {
                    var problem = Check(c, frame, location, expect);
                    if (problem is not null)
                    {
                        failures.Add($"{c} seed {seed} {location}, {name}, input {Decoding.Hex(frame, 96)}: {problem}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(30)));
    }

    /// <summary>Guards the test above against silently finding nothing.</summary>
    [Fact]
    public void The_locator_finds_strings_arrays_and_bools_across_the_registry()
    {
        var found = new Dictionary<FieldKind, int>();
        foreach (var c in Decoding.AllCases())
        {
            foreach (var location in FieldLocator.Locate(c, c.Random(0, out _)))
            {
                found[location.Kind] = found.GetValueOrDefault(location.Kind) + 1;
            }
        }

        Assert.True(found.GetValueOrDefault(FieldKind.String) > 0, "no string fields located");
        Assert.True(found.GetValueOrDefault(FieldKind.Array) > 0, "no array counts located");
        Assert.True(found.GetValueOrDefault(FieldKind.Bool) > 0, "no bool fields located");
    }

    /// <summary>Expected result of a mutation: a decode error naming the field with this text in the problem,
    /// or (null) any acceptable outcome.</summary>
    private static IEnumerable<(string Name, byte[] Frame, string? Expect)> Mutations(Case c, Location l)
    {
        var f = l.Frame;
        var dataAt = l.At + l.PrefixLength;
        switch (l.Kind)
        {
            case FieldKind.Bool:
                foreach (var b in new byte[] { 2, 0x7F, 0x80, 0xFF })
                {
                    yield return ($"bool byte {b}", Decoding.Splice(f, l.At, 1, [b]), "boolean");
                }

                yield break;

            case FieldKind.String:
                foreach (var bad in BadUtf8)
                {
                    var data = new byte[l.DataLength];
                    Array.Fill(data, (byte)'x');
                    bad.CopyTo(data, 1);
                    yield return ($"UTF-8 {Convert.ToHexString(bad)}", Decoding.Splice(f, dataAt, l.DataLength, data), "UTF-8");
                }

                break;
        }

        var nullExpect = l.NullAllowedByType ? null : "null";
        if (c.Flexible)
        {
            yield return ("null", Decoding.Splice(f, l.At, l.PrefixLength, [0x00]), nullExpect);
            yield return ("length or count 2^31-2", Decoding.Splice(f, l.At, l.PrefixLength, UVarintMaxInt), "larger");
            yield return ("length or count 2^32-2", Decoding.Splice(f, l.At, l.PrefixLength, UVarintMaxUInt), "too large");
            yield return ("33-bit varint", Decoding.Splice(f, l.At, l.PrefixLength, UVarint33Bits), "varint");
            yield return ("6-byte varint", Decoding.Splice(f, l.At, l.PrefixLength, UVarintSixBytes), "varint");
            yield break;
        }

        switch (l.Kind)
        {
            case FieldKind.String:
                yield return ("null", Decoding.Splice(f, l.At, 2, [0xFF, 0xFF]), nullExpect);
                yield return ("length -2", Decoding.Splice(f, l.At, 2, [0xFF, 0xFE]), "negative");
                yield return ("length -32768", Decoding.Splice(f, l.At, 2, [0x80, 0x00]), "negative");
                if (f.Length - dataAt + 1 <= short.MaxValue)
                {
                    yield return ("length 32767", Decoding.Splice(f, l.At, 2, [0x7F, 0xFF]), "larger");
                    yield return ("length past end by one", Decoding.Splice(f, l.At, 2, Int16(f.Length - dataAt + 1)), "larger");
                }

                break;
            case FieldKind.Bytes:
                yield return ("null", Decoding.Splice(f, l.At, 4, Int32(-1)), nullExpect);
                yield return ("length -5", Decoding.Splice(f, l.At, 4, Int32(-5)), "negative");
                yield return ("length int.MinValue", Decoding.Splice(f, l.At, 4, Int32(int.MinValue)), "negative");
                yield return ("length int.MaxValue", Decoding.Splice(f, l.At, 4, Int32(int.MaxValue)), "larger");
                yield return ("length past end by one", Decoding.Splice(f, l.At, 4, Int32(f.Length - dataAt + 1)), "larger");
                break;
            case FieldKind.Array:
                yield return ("null", Decoding.Splice(f, l.At, 4, Int32(-1)), nullExpect);
                yield return ("count -7", Decoding.Splice(f, l.At, 4, Int32(-7)), "negative");
                yield return ("count int.MinValue", Decoding.Splice(f, l.At, 4, Int32(int.MinValue)), "negative");
                yield return ("count int.MaxValue", Decoding.Splice(f, l.At, 4, Int32(int.MaxValue)), "larger");
                yield return ("count 0x7FFFFFFF with 10 bytes left", Decoding.Concat(f.AsSpan(0, l.At).ToArray(), Int32(int.MaxValue), new byte[10]), "larger");
                yield return ("count 2^24", Decoding.Splice(f, l.At, 4, Int32(1 << 24)), "larger");
                break;
        }
    }

    private static string? Check(Case c, byte[] frame, Location l, string? expect)
    {
        var outcome = Decoding.DecodeWarm(c, frame, Decoding.SmallAllocation);
        var problem = Decoding.Problem(c, outcome);
        if (problem is not null)
        {
            return problem;
        }

        if (expect is null)
        {
            return outcome.Allocated > Decoding.SmallAllocation + (16L * frame.Length) ? $"allocated {outcome.Allocated} bytes" : null;
        }

        if (outcome.Error is not { } e)
        {
            return "decoded although it is malformed";
        }

        if (e.Field != l.Field)
        {
            return $"error names field {e.Field}, expected {l.Field}: {e.Message}";
        }

        if (!e.Problem.Contains(expect, StringComparison.OrdinalIgnoreCase))
        {
            return $"expected '{expect}' in: {e.Message}";
        }

        return outcome.Allocated < Decoding.SmallAllocation ? null : $"allocated {outcome.Allocated} bytes before failing";
    }

    private static byte[] Int16(int value) => [(byte)(value >> 8), (byte)value];

    private static byte[] Int32(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
