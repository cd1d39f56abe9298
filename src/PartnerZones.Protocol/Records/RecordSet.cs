namespace PartnerZones.Protocol.Records;

/// <summary>Entry points for a <c>records</c> field: a concatenation of record batches.</summary>
public static class RecordSet
{
    /// <summary>Iterates the complete batches; see <see cref="RecordBatchEnumerator"/> for partial tails.</summary>
    public static RecordBatchEnumerator Batches(ReadOnlyMemory<byte> records) => new(records);

    /// <summary>Number of complete batches, stopping at a partial tail.</summary>
    public static int CountBatches(ReadOnlyMemory<byte> records)
    {
        var count = 0;
        var e = new RecordBatchEnumerator(records);
        while (e.MoveNext())
        {
            count++;
        }

        return count;
    }

    /// <summary>Decodes every complete batch (decompressing and, by default, checking CRCs).</summary>
    public static List<RecordBatch> DecodeAll(
        ReadOnlyMemory<byte> records,
        int maxDecompressedBytes = RecordBatch.DefaultMaxDecompressedBytes,
        bool verifyCrc = true)
    {
        var batches = new List<RecordBatch>();
        var e = new RecordBatchEnumerator(records);
        while (e.MoveNext())
        {
            batches.Add(RecordBatch.Decode(e.CurrentMemory, maxDecompressedBytes, verifyCrc));
        }

        return batches;
    }
}
