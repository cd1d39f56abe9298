using BenchmarkDotNet.Attributes;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Benchmarks;

/// <summary>A Fetch response for one topic with 10 partitions, each carrying one batch of 1 KiB records:
/// what a gateway decodes and re-encodes for every consumer fetch. v16 is flexible, names topics by id
/// and carries the KIP-951 leader endpoints; it is the version librdkafka 2.16 sends.</summary>
public class FetchResponseBenchmarks : CodecBenchmark<FetchResponse>
{
    protected override short Version => 16;

    private const int Partitions = 10;

    /// <summary>1 KiB records per partition batch: about 1 KiB or 16 KiB of records per partition.</summary>
    [Params(1, 16)]
    public int RecordsPerBatch { get; set; }

    protected override FetchResponse Build()
    {
        var message = new FetchResponse { ThrottleTimeMs = 0, ErrorCode = 0, SessionId = 0 };
        var topic = new FetchResponse.FetchableTopicResponse { TopicId = Guid.NewGuid() };
        for (var p = 0; p < Partitions; p++)
        {
            topic.Partitions.Add(new FetchResponse.PartitionData
            {
                PartitionIndex = p,
                HighWatermark = 1_000_000 + RecordsPerBatch,
                LastStableOffset = 1_000_000 + RecordsPerBatch,
                LogStartOffset = 0,
                AbortedTransactions = null,
                Records = SampleBatches.Create(RecordsPerBatch, 1024, baseOffset: 1_000_000),
            });
        }

        message.Responses.Add(topic);
        return message;
    }
}
