using PartnerZones.Protocol.Records;

namespace PartnerZones.Benchmarks;

/// <summary>Real magic-2 record batches for the Produce and Fetch benchmarks. The codecs treat them as
/// opaque bytes, but valid batches keep the inputs honest should a codec ever start looking inside.</summary>
internal static class SampleBatches
{
    /// <summary>One uncompressed batch of <paramref name="records"/> records, each with a
    /// <paramref name="valueBytes"/>-byte value and a short key.</summary>
    public static byte[] Create(int records, int valueBytes, long baseOffset = 0)
    {
        var value = new byte[valueBytes];
        new Random(42).NextBytes(value);
        var batch = new RecordBatch { BaseOffset = baseOffset, BaseTimestamp = 1_700_000_000_000, PartitionLeaderEpoch = 0 };
        for (var i = 0; i < records; i++)
        {
            batch.Records.Add(new Record { OffsetDelta = i, TimestampDelta = i, Key = BitConverter.GetBytes(i), Value = value });
        }

        batch.UpdateSummaryFields();
        return batch.ToArray();
    }
}
