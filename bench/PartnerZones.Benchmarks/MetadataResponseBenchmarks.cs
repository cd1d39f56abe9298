using BenchmarkDotNet.Attributes;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Benchmarks;

/// <summary>A Metadata response of 100 topics x 10 partitions: what a gateway rewrites for every client
/// that refreshes metadata. v13 (flexible, topic ids, top-level error code) is what librdkafka 2.16, and
/// so Confluent.Kafka, sends.</summary>
public class MetadataResponseBenchmarks : CodecBenchmark<MetadataResponse>
{
    protected override short Version => 13;


    protected override MetadataResponse Build()
    {
        var message = new MetadataResponse { ClusterId = "cluster-1", ControllerId = 1 };
        for (var b = 0; b < 3; b++)
        {
            message.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = b, Host = "broker-" + b + ".internal", Port = 9092 });
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

            message.Topics.Add(topic);
        }

        return message;
    }
}
