namespace PartnerZones.Protocol.Records.Legacy;

/// <summary>
/// The inner messages of a compressed magic 0/1 message (a "wrapper"), with Kafka's rules for them:
/// the value is not null, it holds at least one message, each of the wrapper's magic and none itself
/// compressed. Offsets and timestamps are returned as stored; <see cref="AbsoluteOffset"/> and
/// <see cref="TimestampOf"/> resolve them the way consumers do.
/// </summary>
internal static class LegacyWrapper
{
    public static List<LegacyMessage> ReadInner(LegacyMessage wrapper, int maxDecompressedBytes)
    {
        var codec = wrapper.Codec;
        if (codec == RecordCompression.Zstd)
        {
            throw LegacyErrors.UnsupportedCompression($"a magic-{wrapper.Magic} message is compressed with zstd, which needs magic 2");
        }

        if (codec > RecordCompression.Zstd)
        {
            throw LegacyErrors.Invalid($"a magic-{wrapper.Magic} message names compression codec {(int)codec}, which Kafka does not define");
        }

        if (wrapper.Value is not { } compressed)
        {
            throw LegacyErrors.Invalid($"a compressed magic-{wrapper.Magic} message has a null value");
        }

        ReadOnlyMemory<byte> rest = LegacyCompression.Decompress(codec, wrapper.Magic, compressed, maxDecompressedBytes);
        var inner = new List<LegacyMessage>();
        while (!rest.IsEmpty)
        {
            if (!LegacyMessageReader.TryRead(rest, out var message, out var size))
            {
                throw LegacyErrors.Corrupt($"the inner message set of a compressed message is cut off after {inner.Count} messages");
            }

            if (message.Magic != wrapper.Magic)
            {
                throw LegacyErrors.Invalid($"an inner message has magic {message.Magic} inside a magic-{wrapper.Magic} wrapper");
            }

            if (message.Codec != RecordCompression.None)
            {
                throw LegacyErrors.Invalid("an inner message of a compressed message is compressed itself; only one level of compression is allowed");
            }

            inner.Add(message);
            rest = rest[size..];
        }

        if (inner.Count == 0)
        {
            throw LegacyErrors.Invalid("a compressed message holds no inner messages");
        }

        return inner;
    }

    /// <summary>Magic 0 stores absolute inner offsets. Magic 1 stores them relative to the first and
    /// gives the wrapper the absolute offset of the last, which anchors them all.</summary>
    public static long AbsoluteOffset(LegacyMessage wrapper, List<LegacyMessage> inner, int index) =>
        wrapper.Magic == 0 ? inner[index].Offset : wrapper.Offset - inner[^1].Offset + inner[index].Offset;

    /// <summary>A LogAppendTime wrapper's timestamp replaces its inner messages' timestamps.</summary>
    public static long TimestampOf(LegacyMessage wrapper, LegacyMessage inner) =>
        wrapper.TimestampType == TimestampType.LogAppendTime ? wrapper.Timestamp : inner.Timestamp;
}
