using System.Text;
using PartnerZones.Protocol.Records;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>Record batches for requests written by hand (<see cref="KafkaWireClient"/>), built with the
/// project's own record codec.</summary>
public static class TestRecordBatches
{
    /// <summary>A plain batch of <paramref name="count"/> records valued "{prefix}-0", "{prefix}-1", ...</summary>
    public static byte[] Values(string prefix, int count)
    {
        var batch = new RecordBatch { BaseTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        for (var i = 0; i < count; i++)
        {
            batch.Records.Add(new Record { OffsetDelta = i, Value = Encoding.UTF8.GetBytes($"{prefix}-{i}") });
        }

        batch.UpdateSummaryFields();
        return batch.ToArray();
    }

    /// <summary>An idempotent (or transactional) batch of <paramref name="count"/> records from
    /// <paramref name="firstSequence"/>, valued "{prefix}{sequence}", for tests that send what no
    /// well-behaved producer sends (a batch twice, a gap in sequences, a stale epoch).</summary>
    public static byte[] Idempotent(long producerId, short epoch, int firstSequence, int count, bool transactional = false, string prefix = "v")
    {
        var batch = new RecordBatch
        {
            BaseTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ProducerId = producerId,
            ProducerEpoch = epoch,
            BaseSequence = firstSequence,
            IsTransactional = transactional,
        };
        for (var i = 0; i < count; i++)
        {
            batch.Records.Add(new Record { OffsetDelta = i, Value = Encoding.UTF8.GetBytes($"{prefix}{firstSequence + i}") });
        }

        batch.UpdateSummaryFields();
        return batch.ToArray();
    }
}
