using BenchmarkDotNet.Attributes;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Benchmarks;

/// <summary>A Fetch response for one topic with 10 partitions, each carrying one batch of 1 KiB records:
/// what a gateway decodes and re-encodes for every consumer fetch. v16 is flexible, names topics by id
/// and carries the KIP-951 leader endpoints; it is the version librdkafka 2.16 sends.</summary>
[MemoryDiagnoser]
public class FetchResponseBenchmarks
{
    private const short Version = 16;
    private const int Partitions = 10;
    private FetchResponse _response = null!;
    private byte[] _encoded = null!;
    private KafkaWriter _writer = null!;

    /// <summary>1 KiB records per partition batch: about 1 KiB or 16 KiB of records per partition.</summary>
    [Params(1, 16)]
    public int RecordsPerBatch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _response = new FetchResponse { ThrottleTimeMs = 0, ErrorCode = 0, SessionId = 0 };
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

        _response.Responses.Add(topic);
        _encoded = _response.Encode(Version);
        _writer = new KafkaWriter(_encoded.Length);
        RoundTrip.Check(_encoded, Decode().Encode(Version), nameof(FetchResponseBenchmarks));
        RoundTrip.CheckLength(_encoded.Length, Encode(), nameof(FetchResponseBenchmarks));
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark]
    public FetchResponse Decode()
    {
        var reader = new KafkaReader(_encoded);
        var response = new FetchResponse();
        response.Read(ref reader, Version);
        return response;
    }

    [Benchmark]
    public int Encode()
    {
        _writer.Reset();
        _response.Write(_writer, Version);
        return _writer.Position;
    }
}
