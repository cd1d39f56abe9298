using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;
using static PartnerZones.Testing.KafkaWire.ConsumerGroupWire;

namespace PartnerZones.EmbeddedKafka.Tests.Groups;

/// <summary>ListGroups and DescribeGroups tell consumer-protocol groups from classic ones as Kafka 4 does.</summary>
public sealed class ConsumerGroupListingTests
{
    [Fact]
    public async Task ListGroups_reports_each_groups_type_and_state_and_filters_by_type()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 2);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        await AckAsync(raw, "modern", await JoinAsync(raw, "modern", "a", ["t"]));
        await raw.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "classic",
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
        }, 8);

        var all = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 5);
        Assert.Equal(
            [("classic", "classic", "Empty"), ("modern", "consumer", "Stable")],
            all.Groups.Select(g => (g.GroupId, g.GroupType, g.GroupState)).OrderBy(g => g.GroupId));
        Assert.Equal("consumer", all.Groups.Single(g => g.GroupId == "modern").ProtocolType);

        var consumers = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest { TypesFilter = ["consumer"] }, 5);
        Assert.Equal(["modern"], consumers.Groups.Select(g => g.GroupId));
        var classics = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest { TypesFilter = ["Classic"] }, 5);
        Assert.Equal(["classic"], classics.Groups.Select(g => g.GroupId));
        var stable = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest { StatesFilter = ["stable"] }, 5);
        Assert.Equal(["modern"], stable.Groups.Select(g => g.GroupId));
    }

    [Fact]
    public async Task DescribeGroups_answers_for_a_consumer_protocol_group_as_for_a_group_it_does_not_know()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        await JoinAsync(raw, "modern", "a", ["t"]);

        var v6 = (await raw.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["modern"] }, 6)).Groups[0];
        Assert.Equal((69, "Dead"), (v6.ErrorCode, v6.GroupState)); // GROUP_ID_NOT_FOUND
        Assert.Contains("not a classic group", v6.ErrorMessage, StringComparison.Ordinal);
        var v5 = (await raw.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["modern"] }, 5)).Groups[0];
        Assert.Equal((0, "Dead"), (v5.ErrorCode, v5.GroupState));
        Assert.Empty(v5.Members);
    }
}
