namespace PartnerZones.Protocol.Tests.Malformed;

/// <summary>
/// Every strict prefix of a valid encoding is a cut-off frame. Decoding reads the same bytes as it would
/// from the whole frame until they run out, so every prefix must fail, and with the decode exception only.
/// </summary>
public sealed class TruncationTests
{
    private const int FramesPerCase = 3;

    [Theory]
    [MemberData(nameof(Decoding.EveryApiVersionAndDirection), MemberType = typeof(Decoding))]
    public void Every_prefix_of_a_valid_frame_fails_with_a_located_decode_error(short apiKey, short version, bool request)
    {
        var c = Decoding.CaseOf(apiKey, version, request);
        var failures = new List<string>();
        for (var seed = 0; seed < FramesPerCase; seed++)
        {
            c.Random(seed, out var frame);
            var whole = Decoding.Decode(c, frame);
            Assert.True(whole.Error is null && whole.Unexpected is null, $"{c} seed {seed}: the valid frame itself failed: {whole.Error?.Message ?? whole.Unexpected?.ToString()}");

            for (var length = 0; length < frame.Length && failures.Count < 10; length++)
            {
                var prefix = frame.AsMemory(0, length);
                var outcome = Decoding.Decode(c, prefix);
                var problem = outcome.Error is null && outcome.Unexpected is null
                    ? "decoded although the frame is cut off"
                    : Decoding.Problem(c, outcome);
                if (problem is null && outcome.Allocated >= Decoding.SmallAllocation + (16L * length))
                {
                    problem = $"allocated {outcome.Allocated} bytes";
                }

                if (problem is not null)
                {
                    failures.Add($"{c} seed {seed}, first {length} of {frame.Length} bytes {Decoding.Hex(prefix.Span, 64)}: {problem}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Decoding.EveryApiVersionAndDirection), MemberType = typeof(Decoding))]
    public void An_empty_body_decodes_only_when_the_version_has_no_fields(short apiKey, short version, bool request)
    {
        var c = Decoding.CaseOf(apiKey, version, request);
        c.Random(0, out var frame);
        var outcome = Decoding.Decode(c, ReadOnlyMemory<byte>.Empty);
        if (frame.Length == 0)
        {
            Assert.Null(outcome.Error);
            Assert.Null(outcome.Unexpected);
        }
        else
        {
            Decoding.ExpectError(c, []);
        }
    }
}
