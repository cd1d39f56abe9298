using PartnerZones.Testing.KafkaWire;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>OffsetForLeaderEpoch v0-1, which Kafka 3.9 accepts and 4.0 does not: v0 answers the end offset
/// alone, v1 adds the leader epoch it belongs to.</summary>
public sealed class OldLeaderEpochVersionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task The_end_offset_of_the_current_epoch_is_the_log_end(short version)
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "epochs", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await raw.ProduceAsync("epochs", TestRecordBatches.Idempotent(-1, -1, -1, 4));

        var response = await raw.SendAsync<OffsetForLeaderEpochResponse>(new OffsetForLeaderEpochRequest
        {
            Topics =
            [
                new OffsetForLeaderEpochRequest.OffsetForLeaderTopic
                {
                    Topic = "epochs",
                    Partitions =
                    [
                        new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 0, LeaderEpoch = 0 },
                        new OffsetForLeaderEpochRequest.OffsetForLeaderPartition { Partition = 3, LeaderEpoch = 0 },
                    ],
                },
            ],
        }, version);

        var partitions = Assert.Single(response.Topics).Partitions;
        Assert.Equal((ErrorCodes.None, 4L), (partitions[0].ErrorCode, partitions[0].EndOffset));
        Assert.Equal(ErrorCodes.UnknownTopicOrPartition, partitions[1].ErrorCode);

        // v0 has no epoch in its answer (the codec leaves the field at its default, -1); v1 names epoch 0.
        Assert.Equal(version == 0 ? -1 : 0, partitions[0].LeaderEpoch);
    }
}
