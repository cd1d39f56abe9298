using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;

namespace PartnerZones.EmbeddedKafka.Tests;

/// <summary>Requests that name a member of a group that does not exist are refused and leave no empty
/// group behind for ListGroups to show.</summary>
public sealed class GroupCreationTests
{
    [Fact]
    public async Task A_join_or_commit_as_an_unknown_member_creates_no_group()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions());
        await Clients.CreateTopicAsync(cluster, "t", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var join = await raw.SendAsync<JoinGroupResponse>(new JoinGroupRequest
        {
            GroupId = "ghost-join",
            MemberId = "nobody",
            SessionTimeoutMs = 10_000,
            RebalanceTimeoutMs = 10_000,
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = new byte[] { 0 } }],
        }, 5);
        Assert.Equal(25, join.ErrorCode); // UNKNOWN_MEMBER_ID

        var commit = await raw.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "ghost-commit",
            GenerationIdOrMemberEpoch = 3,
            MemberId = "nobody",
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
        }, 8);
        Assert.Equal(25, commit.Topics[0].Partitions[0].ErrorCode);

        var groups = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 4);
        Assert.Empty(groups.Groups);
    }
}
