using PartnerZones.Testing.KafkaWire;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Tests.Compatibility;

/// <summary>v0 of the APIs that were always served from v0, answered with v0's own fields: a client that
/// pins the oldest versions gets usable answers, not just well-formed frames.</summary>
public sealed class OtherV0Tests
{
    [Fact]
    public async Task Metadata_FindCoordinator_and_DescribeConfigs_v0_answer_with_v0_fields()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "configured", 2, configs: new() { ["retention.ms"] = "1000" });
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        // v0 has no null topic list: an empty one asks for every topic.
        var metadata = await raw.SendAsync<MetadataResponse>(new MetadataRequest { Topics = [] }, 0);
        Assert.Equal(("configured", 2), (Assert.Single(metadata.Topics).Name, metadata.Topics[0].Partitions.Count));

        var coordinator = await raw.SendAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { CoordinatorKey = "some-group" }, 0);
        Assert.Equal((ErrorCodes.None, cluster.EndPoints[0].Port), (coordinator.ErrorCode, coordinator.Port));

        // v0 says whether a value is the default (IsDefault) instead of where it comes from.
        var configs = await raw.SendAsync<DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new DescribeConfigsRequest.DescribeConfigsResource { ResourceType = 2, ResourceName = "configured", ConfigurationKeys = ["retention.ms", "cleanup.policy"] }],
        }, 0);
        var result = Assert.Single(configs.Results);
        Assert.Equal(ErrorCodes.None, result.ErrorCode);
        Assert.Equal(
            new[] { ("cleanup.policy", (string?)"delete", true), ("retention.ms", (string?)"1000", false) },
            result.Configs.Select(c => (c.Name, c.Value, c.IsDefault)));
    }

    [Fact]
    public async Task ListGroups_and_LeaveGroup_v0_see_and_end_a_v0_member()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { InitialRebalanceDelayMs = 0 });
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);
        var (memberId, _) = await OldGroupVersionsTests.FormGroupAsync(raw, "listed", joinVersion: 0);

        var listed = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 0);
        Assert.Equal(("listed", "consumer"), (Assert.Single(listed.Groups).GroupId, listed.Groups[0].ProtocolType));

        var left = await raw.SendAsync<LeaveGroupResponse>(new LeaveGroupRequest { GroupId = "listed", MemberId = memberId }, 0);
        Assert.Equal(ErrorCodes.None, left.ErrorCode);
        var described = await raw.SendAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["listed"] }, 0);
        Assert.Equal("Empty", described.Groups[0].GroupState);
    }
}
