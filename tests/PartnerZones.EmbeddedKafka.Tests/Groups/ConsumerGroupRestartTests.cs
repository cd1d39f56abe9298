using PartnerZones.EmbeddedKafka.Tests.Storage;
using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;
using static PartnerZones.Testing.KafkaWire.ConsumerGroupWire;

namespace PartnerZones.EmbeddedKafka.Tests.Groups;

/// <summary>With a data directory, consumer-protocol groups survive a restart: members carry on at their epochs
/// with their partitions, as they do when a Kafka coordinator moves or restarts.</summary>
public sealed class ConsumerGroupRestartTests
{
    [Fact]
    public async Task Members_epochs_and_assignments_survive_a_restart()
    {
        using var dir = new TempDirectory();
        var options = new ClusterOptions { ConsumerGroupProtocol = true, DataDir = dir.Path };
        ConsumerGroupHeartbeatResponse a;
        ConsumerGroupHeartbeatResponse b;
        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            await Clients.CreateTopicAsync(cluster, "t", 4);
            await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
            a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a", ["t"]));
            b = await JoinAsync(raw, "g", "b", ["t"], assignor: "range");
            a = await AckAsync(raw, "g", await AckAsync(raw, "g", a));
            b = await AckAsync(raw, "g", b);
            Assert.Equal(2, Count(a));
            Assert.Equal(2, Count(b));
        }

        await using (var cluster = await EmbeddedCluster.StartAsync(options))
        {
            await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
            var again = await AckAsync(raw, "g", a);
            Assert.Equal(0, again.ErrorCode);
            Assert.Equal(a.MemberEpoch, again.MemberEpoch);
            Assert.Equal(Partitions(a), Partitions(again));

            var described = (await raw.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["g"] }, 1)).Groups[0];
            Assert.Equal(0, described.ErrorCode);
            Assert.Equal("range", described.AssignorName);
            Assert.Equal(["a", "b"], described.Members.Select(m => m.MemberId));
            var listed = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 5);
            Assert.Equal("consumer", listed.Groups.Single(g => g.GroupId == "g").GroupType);
        }
    }

    private static List<int> Partitions(ConsumerGroupHeartbeatResponse response) =>
        [.. response.Assignment!.TopicPartitions.SelectMany(t => t.Partitions).Order()];
}
