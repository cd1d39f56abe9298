using PartnerZones.Protocol.Messages;
using static PartnerZones.Protocol.Messages.ConsumerGroupHeartbeatStructs;
using B = PartnerZones.Gateway.Tests.Security.BackingClusterState;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>The consumer group protocol (KIP-848): a partner's member names the upstream's groups, the
/// backing and foreign topics by name, by real id and by a regex that matches everything, and reuses the
/// upstream member's exact id; it only ever reaches a group of its own, is assigned only its aliases
/// under their virtual ids, and leaves its group empty for the next row.</summary>
internal static partial class IsolationProbes
{
    private const short FencedMemberEpoch = 110;

    private static IReadOnlyList<Probe> ConsumerGroupHeartbeat(short version, ProbeContext context)
    {
        var member = Guid.NewGuid().ToString();
        var probes = new List<Probe>
        {
            Probe.Of<ConsumerGroupHeartbeatResponse>(
                "join the upstream group's name subscribing the backing and foreign topics, owning the real id",
                new ConsumerGroupHeartbeatRequest
                {
                    GroupId = B.UpstreamGroup,
                    MemberId = member,
                    MemberEpoch = 0,
                    RebalanceTimeoutMs = 10_000,
                    SubscribedTopicNames = [B.BackingTopic, B.PrivateTopic, "topic-a"],
                    TopicPartitions = [new TopicPartitionsData { TopicId = context.Backing.BackingTopicId, Partitions = [0] }, new TopicPartitionsData { TopicId = context.Backing.PrivateTopicId, Partitions = [0] }],
                },
                version,
                r =>
                {
                    Assert.Equal(0, r.ErrorCode);
                    Assert.True(r.MemberEpoch > 0, $"member epoch {r.MemberEpoch}");
                    Assert.All(r.Assignment?.TopicPartitions ?? [], t => Assert.Equal(VirtualId("topic-a"), t.TopicId));
                }),
            Leave(member, version),
            Probe.Of<ConsumerGroupHeartbeatResponse>(
                "heartbeat as the upstream group's live member, subscription unchanged",
                new ConsumerGroupHeartbeatRequest { GroupId = B.UpstreamGroup, MemberId = context.Backing.UpstreamMemberId, MemberEpoch = context.Backing.UpstreamGeneration },
                version,
                r =>
                {
                    Assert.Equal(FencedMemberEpoch, r.ErrorCode);
                    Assert.Null(r.Assignment);
                }),
        };

        if (version >= 1)
        {
            var regexMember = Guid.NewGuid().ToString();
            probes.Add(Probe.Of<ConsumerGroupHeartbeatResponse>(
                "join another zone's group with a regex that matches every topic",
                new ConsumerGroupHeartbeatRequest { GroupId = B.OtherZoneGroup, MemberId = regexMember, MemberEpoch = 0, RebalanceTimeoutMs = 10_000, SubscribedTopicRegex = ".*", TopicPartitions = [] },
                version,
                r =>
                {
                    Assert.Equal(0, r.ErrorCode);
                    Assert.All(r.Assignment?.TopicPartitions ?? [], t => Assert.Contains(t.TopicId, new[] { VirtualId("topic-a"), VirtualId("topic-b") }));
                }));
            probes.Add(Leave(regexMember, version, B.OtherZoneGroup));
        }

        return probes;
    }

    private static Probe Leave(string member, short version, string group = B.UpstreamGroup) =>
        Probe.Of<ConsumerGroupHeartbeatResponse>(
            "leave the group joined above",
            new ConsumerGroupHeartbeatRequest { GroupId = group, MemberId = member, MemberEpoch = -1 },
            version,
            r => Assert.Equal(0, r.ErrorCode));

    private static IReadOnlyList<Probe> ConsumerGroupDescribe(short version) =>
    [
        Probe.Of<ConsumerGroupDescribeResponse>(
            "describe the upstream group and another zone's group",
            new ConsumerGroupDescribeRequest { GroupIds = [B.UpstreamGroup, B.OtherZoneGroup], IncludeAuthorizedOperations = true },
            version,
            r =>
            {
                Assert.Equal([B.UpstreamGroup, B.OtherZoneGroup], r.Groups.Select(g => g.GroupId));
                Assert.All(r.Groups, g =>
                {
                    Assert.Equal(GroupIdNotFound, g.ErrorCode); // the zone has no such groups
                    Assert.Empty(g.Members);
                    Assert.Equal(int.MinValue, g.AuthorizedOperations);
                });
            }),
    ];
}
