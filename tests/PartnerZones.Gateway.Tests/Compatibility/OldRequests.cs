using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>Produce and Fetch as a client of the message-set era sends them, at the version the test names.</summary>
public static class OldRequests
{
    /// <summary>Produce with acks=all of one message set per partition of one topic; returns the topic's answer.</summary>
    public static async Task<ProduceResponse.TopicProduceResponse> ProduceAsync(KafkaWireClient client, short version, string topic, params (int Partition, byte[] Set)[] sets)
    {
        var response = await client.SendAsync<ProduceResponse>(new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData
            {
                Name = topic,
                PartitionData = [.. sets.Select(s => new ProduceRequest.PartitionProduceData { Index = s.Partition, Records = s.Set })],
            }],
        }, version);
        var answer = Assert.Single(response.Responses);
        Assert.Equal(topic, answer.Name);
        return answer;
    }

    /// <summary>Fetch of the given partitions of one topic from the given offsets, without waiting; returns the
    /// topic's answer by partition.</summary>
    public static async Task<Dictionary<int, FetchResponse.PartitionData>> FetchAsync(KafkaWireClient client, short version, string topic, params (int Partition, long Offset)[] from)
    {
        var response = await client.SendAsync<FetchResponse>(new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 0,
            MinBytes = 0,
            MaxBytes = 64 << 20,
            Topics = [new FetchRequest.FetchTopic
            {
                Topic = topic,
                Partitions = [.. from.Select(p => new FetchRequest.FetchPartition { Partition = p.Partition, FetchOffset = p.Offset, PartitionMaxBytes = 16 << 20 })],
            }],
        }, version);
        var answer = Assert.Single(response.Responses);
        Assert.Equal(topic, answer.Topic);
        return answer.Partitions.ToDictionary(p => p.PartitionIndex);
    }
}
