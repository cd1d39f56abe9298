using BenchmarkDotNet.Attributes;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Benchmarks;

/// <summary>A Metadata response of 100 topics x 10 partitions: what a gateway rewrites for every client
/// that refreshes metadata. v13 (flexible, topic ids, top-level error code) is what librdkafka 2.16, and
/// so Confluent.Kafka, sends.</summary>
[MemoryDiagnoser]
public class MetadataResponseBenchmarks
{
    private const short Version = 13;
    private MetadataResponse _response = null!;
    private byte[] _encoded = null!;
    private KafkaWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _response = new MetadataResponse { ClusterId = "cluster-1", ControllerId = 1 };
        for (var b = 0; b < 3; b++)
        {
            _response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = b, Host = "broker-" + b + ".internal", Port = 9092 });
        }

        for (var t = 0; t < 100; t++)
        {
            var topic = new MetadataResponse.MetadataResponseTopic { Name = "topic-" + t, TopicId = Guid.NewGuid() };
            for (var p = 0; p < 10; p++)
            {
                topic.Partitions.Add(new MetadataResponse.MetadataResponsePartition
                {
                    PartitionIndex = p,
                    LeaderId = p % 3,
                    LeaderEpoch = 5,
                    ReplicaNodes = [0, 1, 2],
                    IsrNodes = [0, 1, 2],
                });
            }

            _response.Topics.Add(topic);
        }

        _encoded = _response.Encode(Version);
        _writer = new KafkaWriter(_encoded.Length);
        RoundTrip.Check(_encoded, Decode().Encode(Version), nameof(MetadataResponseBenchmarks));
        RoundTrip.CheckLength(_encoded.Length, Encode(), nameof(MetadataResponseBenchmarks));
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark]
    public MetadataResponse Decode()
    {
        var reader = new KafkaReader(_encoded);
        var response = new MetadataResponse();
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
