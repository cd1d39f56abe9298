using BenchmarkDotNet.Attributes;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Benchmarks;

/// <summary>A Produce request to one topic with 10 partitions, one batch of 1 KiB records each: what a
/// gateway decodes, renames and re-encodes for every producer request. v12 is the newest version that
/// still names topics (v13 uses topic ids); v9 to v12 requests have the same layout, and librdkafka 2.16
/// sends v10. Decode slices the record bytes out of the frame, so its cost
/// should not grow with <see cref="RecordsPerBatch"/>; encode copies them.</summary>
public class ProduceRequestBenchmarks : CodecBenchmark<ProduceRequest>
{
    protected override short Version => 12;

    private const int Partitions = 10;

    /// <summary>1 KiB records per partition batch: about 1 KiB or 16 KiB of records per partition.</summary>
    [Params(1, 16)]
    public int RecordsPerBatch { get; set; }

    protected override ProduceRequest Build()
    {
        var message = new ProduceRequest { Acks = -1, TimeoutMs = 30_000, TransactionalId = null };
        var topic = new ProduceRequest.TopicProduceData { Name = "orders.eu-west.v1" };
        for (var p = 0; p < Partitions; p++)
        {
            topic.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = p, Records = SampleBatches.Create(RecordsPerBatch, 1024) });
        }

        message.TopicData.Add(topic);
        return message;
    }
}
