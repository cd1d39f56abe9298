using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>One message as an old producer sends it. Magic 0 has no timestamp: <see cref="Timestamp"/> is then unused.</summary>
public sealed record OldMessage(byte[]? Key, byte[]? Value, long Timestamp)
{
    /// <summary>The kinds of message a producer of any era sends: keyed, unkeyed, a tombstone, empty (not
    /// null) key and value, and bytes that are not text; timestamps out of order, so the highest is not the last.</summary>
    public static List<OldMessage> Variety(string label, long now) =>
    [
        new(LegacyBytes.Utf8($"key-{label}"), LegacyBytes.Utf8($"value-{label}"), now),
        new(null, LegacyBytes.Utf8($"no key-{label}"), now + 5),
        new(LegacyBytes.Utf8($"tombstone-{label}"), null, now - 7),
        new([], [], now + 2),
        new([.. Enumerable.Range(0, 256).Select(i => (byte)i)], [.. Enumerable.Range(0, 300).Select(i => (byte)(255 - (i % 256)))], now + 1),
    ];

    /// <summary>A message set as an old producer writes it: uncompressed, one message after another numbered from
    /// 0, or one wrapper of the codec holding them (inner offsets from 0, the wrapper at the last, as Kafka's
    /// producers number them; the broker assigns the real offsets). A magic-1 wrapper carries the highest
    /// timestamp, or with <paramref name="wrapperLogAppendTime"/> that time flagged as LogAppendTime; magic-0
    /// LZ4 carries old Kafka's header checksum, as the 0.8-0.9 producers wrote it.</summary>
    public static byte[] Set(byte magic, RecordCompression codec, IReadOnlyList<OldMessage> messages, long? wrapperLogAppendTime = null)
    {
        var entries = messages.Select((m, i) => LegacyBytes.Entry(i, magic, 0, m.Timestamp, m.Key, m.Value)).ToArray();
        if (codec == RecordCompression.None)
        {
            return LegacyBytes.Concat(entries);
        }

        return LegacyBytes.Wrapper(
            messages.Count - 1, magic, codec, wrapperLogAppendTime ?? messages.Max(m => m.Timestamp), LegacyBytes.Concat(entries),
            logAppendTime: wrapperLogAppendTime is not null, brokenLz4Checksum: magic == 0);
    }
}
