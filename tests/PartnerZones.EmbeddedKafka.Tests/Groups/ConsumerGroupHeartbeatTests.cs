using PartnerZones.Protocol.Messages;
using PartnerZones.Testing.KafkaWire;
using static PartnerZones.Testing.KafkaWire.ConsumerGroupWire;

namespace PartnerZones.EmbeddedKafka.Tests.Groups;

/// <summary>The consumer group protocol (KIP-848) on the wire: joining, epochs, revocation before reassignment,
/// fencing, leaving, session timeouts, regex subscriptions and the classic/consumer split.</summary>
public sealed class ConsumerGroupHeartbeatTests
{
    private const short FencedMemberEpoch = 110;
    private const short UnknownMemberId = 25;
    private const short GroupIdNotFound = 69;
    private const short InconsistentGroupProtocol = 23;
    private const short UnsupportedAssignor = 112;
    private const short UnreleasedInstanceId = 111;

    [Fact]
    public async Task A_partition_moves_to_a_new_member_only_after_its_owner_gave_it_up()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 4);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var a = await JoinAsync(raw, "g", "member-a", ["t"]);
        Assert.Equal(0, a.ErrorCode);
        Assert.Equal("member-a", a.MemberId);
        Assert.True(a.MemberEpoch > 0);
        Assert.Equal(4, Count(a));
        Assert.True(a.HeartbeatIntervalMs > 0);
        a = await AckAsync(raw, "g", a);

        var b = await JoinAsync(raw, "g", "member-b", ["t"]);
        Assert.Equal(0, b.ErrorCode);
        Assert.Equal(0, Count(b)); // a still holds every partition

        // a is asked to give up two partitions and keeps its epoch until it confirms.
        var aRevoking = await AckAsync(raw, "g", a);
        Assert.Equal(2, Count(aRevoking));
        Assert.Equal(a.MemberEpoch, aRevoking.MemberEpoch);
        b = await AckAsync(raw, "g", b);
        Assert.Equal(0, Count(b));

        var aDone = await AckAsync(raw, "g", aRevoking);
        Assert.True(aDone.MemberEpoch > a.MemberEpoch);
        Assert.Equal(2, Count(aDone));
        b = await AckAsync(raw, "g", b);
        Assert.Equal(2, Count(b));
        Assert.Empty(aDone.Assignment!.TopicPartitions.SelectMany(t => t.Partitions).Intersect(b.Assignment!.TopicPartitions.SelectMany(t => t.Partitions)));

        var described = await raw.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["g"] }, 1);
        var group = Assert.Single(described.Groups);
        Assert.Equal(0, group.ErrorCode);
        Assert.Equal("Stable", group.GroupState);
        Assert.Equal("uniform", group.AssignorName);
        Assert.Equal(group.GroupEpoch, group.AssignmentEpoch);
        Assert.Equal(2, group.Members.Count);
        Assert.All(group.Members, m => Assert.Equal(2, m.Assignment.TopicPartitions.Sum(t => t.Partitions.Count)));
        Assert.All(group.Members, m => Assert.Equal("t", Assert.Single(m.TargetAssignment.TopicPartitions).TopicName));
    }

    [Fact]
    public async Task A_stale_epoch_is_fenced_an_unknown_member_is_refused_and_a_member_leaves_with_epoch_minus_one()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 2);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a", ["t"]));
        Assert.Equal(FencedMemberEpoch, (await BeatAsync(raw, "g", "a", a.MemberEpoch + 5)).ErrorCode);
        Assert.Equal(UnknownMemberId, (await BeatAsync(raw, "g", "nobody", 1)).ErrorCode);
        Assert.Equal(GroupIdNotFound, (await BeatAsync(raw, "no-such-group", "a", 1)).ErrorCode);

        var left = await BeatAsync(raw, "g", "a", -1);
        Assert.Equal(0, left.ErrorCode);
        Assert.Equal(-1, left.MemberEpoch);
        Assert.Equal(UnknownMemberId, (await BeatAsync(raw, "g", "a", a.MemberEpoch)).ErrorCode);

        var described = await raw.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["g"] }, 0);
        Assert.Equal("Empty", described.Groups[0].GroupState);
        Assert.Empty(described.Groups[0].Members);
    }

    [Fact]
    public async Task A_fenced_member_rejoins_with_epoch_zero_and_gets_partitions_again()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 2);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a", ["t"]));
        Assert.Equal(FencedMemberEpoch, (await BeatAsync(raw, "g", "a", a.MemberEpoch + 1)).ErrorCode);
        var again = await JoinAsync(raw, "g", "a", ["t"]);
        Assert.Equal(0, again.ErrorCode);
        Assert.Equal(2, Count(again));
    }

    [Fact]
    public async Task A_silent_member_is_removed_after_the_session_timeout_and_its_partitions_go_to_the_others()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true, ConsumerGroupSessionTimeoutMs = 1_000, ConsumerGroupHeartbeatIntervalMs = 200 });
        await Clients.CreateTopicAsync(cluster, "t", 2);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a", ["t"]));
        Assert.Equal(200, a.HeartbeatIntervalMs);
        var b = await AckAsync(raw, "g", await JoinAsync(raw, "g", "b", ["t"]));
        Assert.Equal(0, Count(b));

        // Only b keeps heartbeating; once a's session ends, b gets everything.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Count(b) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            b = await AckAsync(raw, "g", b);
        }

        Assert.Equal(2, Count(b));
        Assert.Equal(UnknownMemberId, (await BeatAsync(raw, "g", "a", a.MemberEpoch)).ErrorCode);
    }

    [Fact]
    public async Task A_regex_subscription_follows_topics_created_and_deleted()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "topic-a", 1);
        await Clients.CreateTopicAsync(cluster, "other", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a", regex: "topic-.*"));
        Assert.Equal(1, Count(a));
        await Clients.CreateTopicAsync(cluster, "topic-b", 2);
        a = await AckAsync(raw, "g", a);
        Assert.Equal(3, Count(a));

        var described = await raw.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["g"] }, 1);
        Assert.Equal("topic-.*", described.Groups[0].Members[0].SubscribedTopicRegex);
        Assert.Equal(["topic-a", "topic-b"], described.Groups[0].Members[0].Assignment.TopicPartitions.Select(t => t.TopicName).Order());

        var invalid = await JoinAsync(raw, "g2", "x", regex: "topic-(");
        Assert.Equal(128, invalid.ErrorCode); // INVALID_REGULAR_EXPRESSION
    }

    [Fact]
    public async Task The_range_assignor_gives_contiguous_ranges_and_an_unknown_assignor_is_refused()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 4);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        Assert.Equal(UnsupportedAssignor, (await JoinAsync(raw, "g", "a", ["t"], assignor: "sticky")).ErrorCode);
        var a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a", ["t"], assignor: "range"));
        var b = await AckAsync(raw, "g", await JoinAsync(raw, "g", "b", ["t"], assignor: "range"));
        a = await AckAsync(raw, "g", await AckAsync(raw, "g", a));
        b = await AckAsync(raw, "g", b);
        Assert.Equal([0, 1], a.Assignment!.TopicPartitions.Single().Partitions);
        Assert.Equal([2, 3], b.Assignment!.TopicPartitions.Single().Partitions);
        var described = await raw.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["g"] }, 1);
        Assert.Equal("range", described.Groups[0].AssignorName);
    }

    [Fact]
    public async Task A_static_member_leaving_for_now_keeps_its_partitions_for_its_instance()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 2);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var a = await AckAsync(raw, "g", await JoinAsync(raw, "g", "a1", ["t"], instanceId: "i"));
        Assert.Equal(UnreleasedInstanceId, (await JoinAsync(raw, "g", "a2", ["t"], instanceId: "i")).ErrorCode);
        var away = await raw.SendAsync<ConsumerGroupHeartbeatResponse>(new ConsumerGroupHeartbeatRequest { GroupId = "g", MemberId = "a1", MemberEpoch = -2, InstanceId = "i" }, 1);
        Assert.Equal(-2, away.MemberEpoch);

        var back = await JoinAsync(raw, "g", "a2", ["t"], instanceId: "i");
        Assert.Equal(0, back.ErrorCode);
        Assert.Equal(a.MemberEpoch, back.MemberEpoch);
        Assert.Equal(2, Count(back));
    }

    [Fact]
    public async Task Classic_and_consumer_members_do_not_share_a_group()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(new ClusterOptions { ConsumerGroupProtocol = true });
        await Clients.CreateTopicAsync(cluster, "t", 1);
        await using var raw = await KafkaWireClient.ConnectAsync(cluster.EndPoints[0]);

        var classic = await raw.SendAsync<JoinGroupResponse>(new JoinGroupRequest
        {
            GroupId = "classic",
            SessionTimeoutMs = 10_000,
            RebalanceTimeoutMs = 10_000,
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = new byte[] { 0 } }],
        }, 3);
        Assert.Equal(0, classic.ErrorCode);
        Assert.Equal(GroupIdNotFound, (await JoinAsync(raw, "classic", "m", ["t"])).ErrorCode);
        var describedClassic = await raw.SendAsync<ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["classic"] }, 1);
        Assert.Equal(GroupIdNotFound, describedClassic.Groups[0].ErrorCode);

        Assert.Equal(0, (await JoinAsync(raw, "modern", "m", ["t"])).ErrorCode);
        var join = await raw.SendAsync<JoinGroupResponse>(new JoinGroupRequest
        {
            GroupId = "modern",
            SessionTimeoutMs = 10_000,
            RebalanceTimeoutMs = 10_000,
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = new byte[] { 0 } }],
        }, 3);
        Assert.Equal(InconsistentGroupProtocol, join.ErrorCode);

        // A group with only offsets stays classic for anything but a member joining.
        await raw.SendAsync<OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "offsets-only",
            Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
        }, 8);
        Assert.Equal(GroupIdNotFound, (await BeatAsync(raw, "offsets-only", "m", 3)).ErrorCode);
        var listed = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 5);
        Assert.Equal("classic", listed.Groups.Single(g => g.GroupId == "offsets-only").GroupType);
        Assert.Equal(0, (await JoinAsync(raw, "offsets-only", "m", ["t"])).ErrorCode);
        listed = await raw.SendAsync<ListGroupsResponse>(new ListGroupsRequest(), 5);
        Assert.Equal("consumer", listed.Groups.Single(g => g.GroupId == "offsets-only").GroupType);
    }
}
