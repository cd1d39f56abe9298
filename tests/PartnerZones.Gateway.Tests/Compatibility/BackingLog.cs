using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Records;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.Gateway.Tests.Compatibility;

/// <summary>One stored batch as a modern consumer reads it: its exact bytes and their decoding.</summary>
public sealed record StoredBatch(byte[] Bytes, RecordBatch Batch);

/// <summary>Reads a partition of the backing topic directly from the cluster at a modern Fetch version (record
/// batches, no conversion anywhere on the way), to see exactly what was stored.</summary>
public static class BackingLog
{
    /// <summary>Fetch v12: the newest version that still names topics (v13+ uses ids); Kafka 4.0 serves it.</summary>
    private const short ModernFetch = 12;

    public static async Task<List<StoredBatch>> ReadAsync(KafkaWireClient direct, string topic, int partition, long fromOffset = 0)
    {
        var response = await direct.SendAsync<FetchResponse>(new FetchRequest
        {
            ReplicaId = -1,
            MaxWaitMs = 0,
            MinBytes = 0,
            MaxBytes = 64 << 20,
            Topics = [new FetchRequest.FetchTopic
            {
                Topic = topic,
                Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = fromOffset, PartitionMaxBytes = 32 << 20 }],
            }],
        }, ModernFetch);
        Assert.Equal(0, response.ErrorCode);
        var data = Assert.Single(Assert.Single(response.Responses).Partitions);
        Assert.True(data.ErrorCode == 0, $"{topic}-{partition} from offset {fromOffset}: error {data.ErrorCode}");

        var batches = new List<StoredBatch>();
        var enumerator = RecordSet.Batches(data.Records ?? ReadOnlyMemory<byte>.Empty);
        while (enumerator.MoveNext())
        {
            var bytes = enumerator.CurrentMemory.ToArray();
            batches.Add(new StoredBatch(bytes, RecordBatch.Decode(bytes)));
        }

        Assert.False(enumerator.HasPartialTail, $"{topic}-{partition}: the read ended inside a batch; raise the byte limits");
        return batches;
    }
}
