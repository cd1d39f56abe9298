using PartnerZones.Testing.KafkaWire;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>
/// ListOffsets v0 answers a list of offsets per partition, as Kafka 3.x does: the log end for latest (-1),
/// the log start for earliest (-2), and for a time the segment bases (and the log end) last modified at or
/// before it, newest first, at most MaxNumOffsets of them.
/// </summary>
public sealed class ListOffsetsV0Tests
{
    private const long Latest = -1;
    private const long Earliest = -2;

    [Fact]
    public async Task Latest_is_the_log_end_and_earliest_the_log_start()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "old", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        Assert.Equal([0L], await OffsetsAsync(raw, "old", Latest, 1));
        Assert.Equal([0L], await OffsetsAsync(raw, "old", Earliest, 1));

        await raw.ProduceAsync("old", TestRecordBatches.Idempotent(-1, -1, -1, 5));
        Assert.Equal([5L], await OffsetsAsync(raw, "old", Latest, 1));
        Assert.Equal([0L], await OffsetsAsync(raw, "old", Earliest, 1));

        // More offsets asked for: the log end, then the base of the (only) segment. Earliest is always one.
        Assert.Equal([5L, 0L], await OffsetsAsync(raw, "old", Latest, 10));
        Assert.Equal([0L], await OffsetsAsync(raw, "old", Earliest, 10));
        Assert.Empty(await OffsetsAsync(raw, "old", Latest, 0));

        // Deleting records moves the log start, and the segment base is reported as the log start.
        var deleted = await raw.SendAsync<DeleteRecordsResponse>(new DeleteRecordsRequest
        {
            Topics = [new DeleteRecordsRequest.DeleteRecordsTopic { Name = "old", Partitions = [new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = 0, Offset = 2 }] }],
            TimeoutMs = 5_000,
        }, 0);
        Assert.Equal(ErrorCodes.None, deleted.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal([2L], await OffsetsAsync(raw, "old", Earliest, 1));
        Assert.Equal([5L, 2L], await OffsetsAsync(raw, "old", Latest, 10));
    }

    [Fact]
    public async Task A_time_finds_the_segments_last_modified_by_then()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "timed", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var beforeProducing = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1;
        await Task.Delay(20);
        await raw.ProduceAsync("timed", TestRecordBatches.Idempotent(-1, -1, -1, 3));
        var afterProducing = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1;
        await Task.Delay(20);

        // Before the segment was last written to: nothing. After it but before now: the segment's base.
        // From now on: the log end too, newest first.
        Assert.Empty(await OffsetsAsync(raw, "timed", beforeProducing, 10));
        Assert.Equal([0L], await OffsetsAsync(raw, "timed", afterProducing, 10));
        Assert.Equal([3L, 0L], await OffsetsAsync(raw, "timed", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(), 10));
        Assert.Equal([3L], await OffsetsAsync(raw, "timed", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(), 1));
    }

    [Fact]
    public async Task An_unknown_topic_or_partition_is_an_error_without_offsets()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "one", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var response = await raw.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics =
            [
                new ListOffsetsRequest.ListOffsetsTopic { Name = "missing", Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = Latest }] },
                new ListOffsetsRequest.ListOffsetsTopic { Name = "one", Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 7, Timestamp = Latest }] },
            ],
        }, 0);

        Assert.All(response.Topics.SelectMany(t => t.Partitions), p =>
        {
            Assert.Equal(ErrorCodes.UnknownTopicOrPartition, p.ErrorCode);
            Assert.Empty(p.OldStyleOffsets);
        });
    }

    private static async Task<List<long>> OffsetsAsync(KafkaWireClient raw, string topic, long timestamp, int maxNumOffsets)
    {
        var response = await raw.SendAsync<ListOffsetsResponse>(new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics = [new ListOffsetsRequest.ListOffsetsTopic { Name = topic, Partitions = [new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = 0, Timestamp = timestamp, MaxNumOffsets = maxNumOffsets }] }],
        }, 0);
        var partition = Assert.Single(Assert.Single(response.Topics).Partitions);
        Assert.Equal(ErrorCodes.None, partition.ErrorCode);
        return partition.OldStyleOffsets;
    }
}
