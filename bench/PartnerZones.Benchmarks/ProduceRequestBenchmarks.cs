using BenchmarkDotNet.Attributes;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Benchmarks;

/// <summary>A Produce request to one topic with 10 partitions, one batch of 1 KiB records each: what a
/// gateway decodes, renames and re-encodes for every producer request. v12 is the newest version that
/// still names topics (v13 uses topic ids); v9 to v12 requests have the same layout, and librdkafka 2.16
/// sends v10. Decode slices the record bytes out of the frame, so its cost
/// should not grow with <see cref="RecordsPerBatch"/>; encode copies them.</summary>
[MemoryDiagnoser]
public class ProduceRequestBenchmarks
{
    private const short Version = 12;
    private const int Partitions = 10;
    private ProduceRequest _request = null!;
    private byte[] _encoded = null!;
    private KafkaWriter _writer = null!;

    /// <summary>1 KiB records per partition batch: about 1 KiB or 16 KiB of records per partition.</summary>
    [Params(1, 16)]
    public int RecordsPerBatch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _request = new ProduceRequest { Acks = -1, TimeoutMs = 30_000, TransactionalId = null };
        var topic = new ProduceRequest.TopicProduceData { Name = "orders.eu-west.v1" };
        for (var p = 0; p < Partitions; p++)
        {
            topic.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = p, Records = SampleBatches.Create(RecordsPerBatch, 1024) });
        }

        _request.TopicData.Add(topic);
        _encoded = _request.Encode(Version);
        _writer = new KafkaWriter(_encoded.Length);
        RoundTrip.Check(_encoded, Decode().Encode(Version), nameof(ProduceRequestBenchmarks));
        RoundTrip.CheckLength(_encoded.Length, Encode(), nameof(ProduceRequestBenchmarks));
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark]
    public ProduceRequest Decode()
    {
        var reader = new KafkaReader(_encoded);
        var request = new ProduceRequest();
        request.Read(ref reader, Version);
        return request;
    }

    [Benchmark]
    public int Encode()
    {
        _writer.Reset();
        _request.Write(_writer, Version);
        return _writer.Position;
    }
}
