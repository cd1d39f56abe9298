namespace PartnerZones.Benchmarks;

/// <summary>Guards each benchmark's input: a codec that decodes and re-encodes to different bytes would
/// make its timings meaningless, so setup fails loudly instead of measuring it.</summary>
internal static class RoundTrip
{
    public static void Check(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string benchmark)
    {
        if (!expected.SequenceEqual(actual))
        {
            throw new InvalidOperationException(
                $"{benchmark}: decode then encode gave {actual.Length} bytes that differ from the {expected.Length} encoded bytes.");
        }
    }

    /// <summary>The Encode benchmark must write the whole message into its reused writer, or it measures less.</summary>
    public static void CheckLength(int expected, int written, string benchmark)
    {
        if (expected != written)
        {
            throw new InvalidOperationException($"{benchmark}: Encode wrote {written} bytes where the message has {expected}.");
        }
    }
}
