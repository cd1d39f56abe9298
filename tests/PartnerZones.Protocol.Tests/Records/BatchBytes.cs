using System.Buffers.Binary;
using System.Text;
using PartnerZones.Protocol.Records;
using Record = PartnerZones.Protocol.Records.Record;

namespace PartnerZones.Protocol.Tests.Records;

/// <summary>
/// Builds batch bytes around a records section given as-is (compressed by the test, or broken on
/// purpose), with a correct batchLength and CRC, so malformed-input tests reach the part they target.
/// </summary>
internal static class BatchBytes
{
    public const int HeaderSize = 61;

    public static byte[] Build(ReadOnlySpan<byte> section, int recordCount, RecordCompression compression = RecordCompression.None, short extraAttributes = 0)
    {
        var batch = new byte[HeaderSize + section.Length];
        var s = batch.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(s, 0);
        BinaryPrimitives.WriteInt32BigEndian(s[8..], batch.Length - 12);
        BinaryPrimitives.WriteInt32BigEndian(s[12..], 0);
        s[16] = 2;
        BinaryPrimitives.WriteInt16BigEndian(s[21..], (short)((int)compression | (ushort)extraAttributes));
        BinaryPrimitives.WriteInt32BigEndian(s[23..], Math.Max(recordCount - 1, 0));
        BinaryPrimitives.WriteInt64BigEndian(s[27..], 1000);
        BinaryPrimitives.WriteInt64BigEndian(s[35..], 1000);
        BinaryPrimitives.WriteInt64BigEndian(s[43..], -1);
        BinaryPrimitives.WriteInt16BigEndian(s[51..], -1);
        BinaryPrimitives.WriteInt32BigEndian(s[53..], -1);
        BinaryPrimitives.WriteInt32BigEndian(s[57..], recordCount);
        section.CopyTo(s[HeaderSize..]);
        FixCrc(batch);
        return batch;
    }

    /// <summary>Stores the CRC of the covered bytes, after a test edited them.</summary>
    public static void FixCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[17..], Crc32C.Compute(batch[21..]));

    /// <summary>The uncompressed records section for these records.</summary>
    public static byte[] Section(IEnumerable<Record> records)
    {
        var batch = new RecordBatch();
        batch.Records.AddRange(records);
        return batch.ToArray()[HeaderSize..];
    }

    public static Record Text(string? key, string? value, int offsetDelta = 0, params (string Key, string? Value)[] headers) => new()
    {
        OffsetDelta = offsetDelta,
        TimestampDelta = offsetDelta * 10,
        Key = Utf8OrNull(key),
        Value = Utf8OrNull(value),
        Headers = headers.Select(h => new RecordHeader(h.Key, Utf8OrNull(h.Value))).ToArray(),
    };

    // A null byte[] converts to an empty (not null) ReadOnlyMemory; null has to be spelled out.
    private static ReadOnlyMemory<byte>? Utf8OrNull(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    /// <summary>A batch of records with a mix of shapes: null and empty keys and values, headers,
    /// negative and large deltas, and text that compresses.</summary>
    public static RecordBatch Sample(int count, int seed, RecordCompression compression = RecordCompression.None)
    {
        var rng = new Random(seed);
        var batch = new RecordBatch
        {
            BaseOffset = 1234,
            PartitionLeaderEpoch = 7,
            BaseTimestamp = 1_700_000_000_000,
            ProducerId = 42,
            ProducerEpoch = 3,
            BaseSequence = 100,
            Compression = compression,
        };
        for (var i = 0; i < count; i++)
        {
            ReadOnlyMemory<byte>? value = (i % 5) switch
            {
                0 => (ReadOnlyMemory<byte>?)null,
                1 => ReadOnlyMemory<byte>.Empty,
                _ => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"order {i} for customer {rng.Next(1000)}: " + new string('x', rng.Next(200))),
            };
            batch.Records.Add(new Record
            {
                OffsetDelta = i,
                TimestampDelta = i % 7 == 3 ? -5 : rng.NextInt64(0, 1L << 40),
                Key = i % 3 == 0 ? null : Utf8OrNull($"key-{i}"),
                Value = value,
                Headers = i % 4 == 0
                    ? [new RecordHeader("trace", Encoding.UTF8.GetBytes("abc")), new RecordHeader("empty", null), new RecordHeader("ünïcode", Array.Empty<byte>())]
                    : [],
            });
        }

        batch.UpdateSummaryFields();
        return batch;
    }

    /// <summary>Asserts two record lists carry the same fields and bytes.</summary>
    public static void AssertSameRecords(IReadOnlyList<Record> expected, IReadOnlyList<Record> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.Equal(e.Attributes, a.Attributes);
            Assert.Equal(e.OffsetDelta, a.OffsetDelta);
            Assert.Equal(e.TimestampDelta, a.TimestampDelta);
            AssertSameBytes(e.Key, a.Key);
            AssertSameBytes(e.Value, a.Value);
            Assert.Equal(e.Headers.Count, a.Headers.Count);
            for (var h = 0; h < e.Headers.Count; h++)
            {
                Assert.Equal(e.Headers[h].Key, a.Headers[h].Key);
                AssertSameBytes(e.Headers[h].Value, a.Headers[h].Value);
            }
        }
    }

    public static void AssertSameBytes(ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte>? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e && actual is { } a)
        {
            Assert.Equal(e.ToArray(), a.ToArray());
        }
    }
}
