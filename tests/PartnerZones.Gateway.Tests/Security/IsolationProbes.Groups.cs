using PartnerZones.Protocol.Messages;
using B = PartnerZones.Gateway.Tests.Security.BackingClusterState;

namespace PartnerZones.Gateway.Tests.Security;

/// <summary>Group, offset and coordinator APIs. The partner presents the upstream group's exact
/// coordinates (group id, live member id, generation) and another zone's upstream group id: forwarded
/// without the zone's prefix these would act on those groups and succeed, so an error here, together with
/// the unchanged backing state checked after every row, shows the namespace holds.</summary>
internal static partial class IsolationProbes
{
    private static IReadOnlyList<Probe> JoinGroup(short version, ProbeContext context) =>
    [
        Probe.Of<JoinGroupResponse>(
            "join the upstream group as its live member",
            new JoinGroupRequest
            {
                GroupId = B.UpstreamGroup,
                SessionTimeoutMs = 30_000,
                RebalanceTimeoutMs = 6_000,
                MemberId = context.Backing.UpstreamMemberId,
                ProtocolType = "consumer",
                Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = Subscription(B.BackingTopic) }],
            },
            version,
            r => Assert.Equal(UnknownMemberId, r.ErrorCode)),
    ];

    private static IReadOnlyList<Probe> SyncGroup(short version, ProbeContext context) =>
    [
        Probe.Of<SyncGroupResponse>(
            "sync the upstream group as its live member and leader",
            new SyncGroupRequest
            {
                GroupId = B.UpstreamGroup,
                GenerationId = context.Backing.UpstreamGeneration,
                MemberId = context.Backing.UpstreamMemberId,
                ProtocolType = "consumer",
                ProtocolName = "range",
                Assignments = [new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = context.Backing.UpstreamMemberId, Assignment = Subscription(B.PrivateTopic) }],
            },
            version,
            r =>
            {
                Assert.Equal(UnknownMemberId, r.ErrorCode);
                Assert.True(r.Assignment.IsEmpty);
            }),
    ];

    private static IReadOnlyList<Probe> Heartbeat(short version, ProbeContext context) =>
    [
        Probe.Of<HeartbeatResponse>(
            "heartbeat as the upstream group's live member",
            new HeartbeatRequest { GroupId = B.UpstreamGroup, GenerationId = context.Backing.UpstreamGeneration, MemberId = context.Backing.UpstreamMemberId },
            version,
            r => Assert.Equal(UnknownMemberId, r.ErrorCode)),
    ];

    private static IReadOnlyList<Probe> LeaveGroup(short version, ProbeContext context) =>
    [
        Probe.Of<LeaveGroupResponse>(
            "remove the upstream group's live member",
            new LeaveGroupRequest
            {
                GroupId = B.UpstreamGroup,
                MemberId = version < 3 ? context.Backing.UpstreamMemberId : "",
                Members = version >= 3 ? [new LeaveGroupRequest.MemberIdentity { MemberId = context.Backing.UpstreamMemberId }] : [],
            },
            version,
            r =>
            {
                if (version < 3)
                {
                    Assert.Equal(UnknownMemberId, r.ErrorCode);
                }
                else
                {
                    Assert.True(r.ErrorCode != 0 || (r.Members.Count == 1 && r.Members[0].ErrorCode == UnknownMemberId), $"LeaveGroup answered {r.ErrorCode} / {string.Join(",", r.Members.Select(m => m.ErrorCode))}.");
                }
            }),
    ];

    private static IReadOnlyList<Probe> DescribeGroups(short version) =>
    [
        Probe.Of<DescribeGroupsResponse>(
            "describe the upstream group and another zone's group",
            new DescribeGroupsRequest { Groups = [B.UpstreamGroup, B.OtherZoneGroup], IncludeAuthorizedOperations = true },
            version,
            r =>
            {
                Assert.Equal([B.UpstreamGroup, B.OtherZoneGroup], r.Groups.Select(g => g.GroupId));
                Assert.All(r.Groups, g =>
                {
                    Assert.True(g.ErrorCode != 0 || g.GroupState == "Dead", $"{g.GroupId} described as {g.GroupState} (error {g.ErrorCode}).");
                    Assert.Empty(g.Members);
                    Assert.Equal("", g.ProtocolType);
                    Assert.Equal(int.MinValue, g.AuthorizedOperations);
                });
            }),
    ];

    /// <summary>The partner first makes a group of its own, then lists: only that group, by its own name.</summary>
    private static IReadOnlyList<Probe> ListGroups(short version) =>
    [
        Probe.Of<OffsetCommitResponse>(
            "commit as a group of the zone's own",
            new OffsetCommitRequest
            {
                GroupId = "own-grp",
                GenerationIdOrMemberEpoch = -1,
                MemberId = "",
                Topics = [new OffsetCommitRequest.OffsetCommitRequestTopic { Name = "topic-a", Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 0 }] }],
            },
            7,
            r => Assert.All(r.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(0, p.ErrorCode))),
        Probe.Of<ListGroupsResponse>(
            "list groups",
            new ListGroupsRequest(),
            version,
            r =>
            {
                Assert.Equal(0, r.ErrorCode);
                Assert.Equal(["own-grp"], r.Groups.Select(g => g.GroupId));
            }),
    ];

    private static IReadOnlyList<Probe> DeleteGroups(short version) =>
    [
        Probe.Of<DeleteGroupsResponse>(
            "delete the upstream group and another zone's group",
            new DeleteGroupsRequest { GroupsNames = [B.UpstreamGroup, B.OtherZoneGroup] },
            version,
            r =>
            {
                Assert.Equal([B.UpstreamGroup, B.OtherZoneGroup], r.Results.Select(g => g.GroupId));
                Assert.All(r.Results, g => Assert.True(g.ErrorCode != 0, $"deleting {g.GroupId} succeeded."));
            }),
    ];

    private static IReadOnlyList<Probe> OffsetCommit(short version, ProbeContext context)
    {
        // v10 names topics by id: the alias by its virtual id, the backing and foreign topics by their real ids.
        var byId = version >= 10;
        var outside = byId ? UnknownTopicId : UnknownTopicOrPartition;
        OffsetCommitRequest.OffsetCommitRequestTopic Topic(string name, Guid id, int partition) => new()
        {
            Name = byId ? "" : name,
            TopicId = byId ? id : Guid.Empty,
            Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = partition, CommittedOffset = 999, CommittedMetadata = "partner" }],
        };

        void Named(OffsetCommitResponse r, params (string Name, Guid Id)[] topics)
        {
            if (byId)
            {
                Assert.Equal(topics.Select(t => t.Id), r.Topics.Select(t => t.TopicId));
            }
            else
            {
                Assert.Equal(topics.Select(t => t.Name), r.Topics.Select(t => t.Name));
            }
        }

        (string Name, Guid Id) alias = ("topic-a", VirtualId("topic-a"));
        (string Name, Guid Id) backing = (B.BackingTopic, context.Backing.BackingTopicId);
        (string Name, Guid Id) foreign = (B.PrivateTopic, context.Backing.PrivateTopicId);
        return
        [
            Probe.Of<OffsetCommitResponse>(
                "commit as the upstream group's live member",
                new OffsetCommitRequest
                {
                    GroupId = B.UpstreamGroup,
                    GenerationIdOrMemberEpoch = context.Backing.UpstreamGeneration,
                    MemberId = context.Backing.UpstreamMemberId,
                    Topics = [Topic(alias.Name, alias.Id, 0), Topic(backing.Name, backing.Id, 0), Topic(foreign.Name, foreign.Id, 0)],
                },
                version,
                r =>
                {
                    Named(r, alias, backing, foreign);
                    // v0 carries no member or generation: it is a standalone commit into the partner's own group
                    // of that name (under the zone's prefix, not the upstream group), which may succeed for the alias.
                    if (version > 0)
                    {
                        Assert.All(r.Topics.SelectMany(t => t.Partitions), p => Assert.True(p.ErrorCode != 0, "a commit as the upstream member succeeded."));
                    }

                    Assert.All(r.Topics.Skip(1).SelectMany(t => t.Partitions), p => Assert.Equal(outside, p.ErrorCode));
                }),
            Probe.Of<OffsetCommitResponse>(
                "commit into another zone's group",
                new OffsetCommitRequest
                {
                    GroupId = B.OtherZoneGroup,
                    GenerationIdOrMemberEpoch = -1,
                    MemberId = "",
                    Topics = [Topic(backing.Name, backing.Id, 2), Topic(foreign.Name, foreign.Id, 0)],
                },
                version,
                r => Assert.All(r.Topics.SelectMany(t => t.Partitions), p => Assert.Equal(outside, p.ErrorCode))),
        ];
    }

    private static IReadOnlyList<Probe> OffsetFetch(short version, ProbeContext context)
    {
        if (version >= 10)
        {
            return [OffsetFetchById(version, context)];
        }

        // Both aliases map to kafka-topic-a, where both groups have offsets upstream.
        (string Name, int[] Partitions)[] asked = [("topic-a", [0, 1, 2]), ("topic-b", [0, 1, 2]), (B.BackingTopic, [0, 1, 2]), (B.PrivateTopic, [0])];

        void NoOffsets(string? name, long committed, short errorCode, string where)
        {
            Assert.True(committed == -1, $"{where}: {name} shows committed offset {committed}.");
            OutsideIsError(name, errorCode, where);
        }

        if (version >= 8)
        {
            return
            [
                Probe.Of<OffsetFetchResponse>(
                    "offsets of the upstream group (all topics) and of another zone's group",
                    new OffsetFetchRequest
                    {
                        Groups =
                        [
                            new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = B.UpstreamGroup, Topics = null },
                            new OffsetFetchRequest.OffsetFetchRequestGroup
                            {
                                GroupId = B.OtherZoneGroup,
                                Topics = [.. asked.Select(a => new OffsetFetchRequest.OffsetFetchRequestTopics { Name = a.Name, PartitionIndexes = [.. a.Partitions] })],
                            },
                        ],
                    },
                    version,
                    r =>
                    {
                        Assert.Equal([B.UpstreamGroup, B.OtherZoneGroup], r.Groups.Select(g => g.GroupId));
                        Assert.Empty(r.Groups[0].Topics);
                        Assert.Equal(asked.Select(a => a.Name), r.Groups[1].Topics.Select(t => t.Name));
                        Assert.All(r.Groups.SelectMany(g => g.Topics), t => Assert.All(t.Partitions, p => NoOffsets(t.Name, p.CommittedOffset, p.ErrorCode, "OffsetFetch")));
                    }),
            ];
        }

        Probe Explicit(string group) => Probe.Of<OffsetFetchResponse>(
            $"offsets of {group} on the aliases, the backing and the foreign topic",
            new OffsetFetchRequest { GroupId = group, Topics = [.. asked.Select(a => new OffsetFetchRequest.OffsetFetchRequestTopic { Name = a.Name, PartitionIndexes = [.. a.Partitions] })] },
            version,
            r =>
            {
                Assert.Equal(asked.Select(a => a.Name), r.Topics.Select(t => t.Name));
                Assert.All(r.Topics, t => Assert.All(t.Partitions, p => NoOffsets(t.Name, p.CommittedOffset, p.ErrorCode, "OffsetFetch")));
            });

        var probes = new List<Probe> { Explicit(B.UpstreamGroup), Explicit(B.OtherZoneGroup) };
        if (version >= 2)
        {
            probes.Add(Probe.Of<OffsetFetchResponse>(
                "every offset of the upstream group",
                new OffsetFetchRequest { GroupId = B.UpstreamGroup, Topics = null },
                version,
                r => Assert.Empty(r.Topics)));
        }

        return probes;
    }

    /// <summary>v10 names topics by id: the aliases by their virtual ids (both map to kafka-topic-a, where
    /// both groups have offsets upstream), the backing and foreign topics by their real ids.</summary>
    private static Probe OffsetFetchById(short version, ProbeContext context)
    {
        Guid[] aliases = [VirtualId("topic-a"), VirtualId("topic-b")];
        (Guid Id, int[] Partitions)[] asked = [(aliases[0], [0, 1, 2]), (aliases[1], [0, 1, 2]), (context.Backing.BackingTopicId, [0, 1, 2]), (context.Backing.PrivateTopicId, [0])];
        return Probe.Of<OffsetFetchResponse>(
            "offsets of the upstream group (all topics) and of another zone's group, by topic id",
            new OffsetFetchRequest
            {
                Groups =
                [
                    new OffsetFetchRequest.OffsetFetchRequestGroup { GroupId = B.UpstreamGroup, Topics = null },
                    new OffsetFetchRequest.OffsetFetchRequestGroup
                    {
                        GroupId = B.OtherZoneGroup,
                        Topics = [.. asked.Select(a => new OffsetFetchRequest.OffsetFetchRequestTopics { TopicId = a.Id, PartitionIndexes = [.. a.Partitions] })],
                    },
                ],
            },
            version,
            r =>
            {
                Assert.Equal([B.UpstreamGroup, B.OtherZoneGroup], r.Groups.Select(g => g.GroupId));
                Assert.Empty(r.Groups[0].Topics);
                Assert.Equal(asked.Select(a => a.Id), r.Groups[1].Topics.Select(t => t.TopicId));
                Assert.All(r.Groups[1].Topics, t => Assert.All(t.Partitions, p =>
                {
                    Assert.Equal(-1, p.CommittedOffset);
                    if (!aliases.Contains(t.TopicId))
                    {
                        Assert.Equal(UnknownTopicId, p.ErrorCode);
                    }
                }));
            });
    }

    private static IReadOnlyList<Probe> FindCoordinator(short version, ProbeContext context)
    {
        Probe Find(sbyte keyType, params string[] keys) => Probe.Of<FindCoordinatorResponse>(
            $"find the coordinator of {string.Join(", ", keys)} (key type {keyType})",
            new FindCoordinatorRequest { KeyType = keyType, CoordinatorKey = version < 4 ? keys[0] : "", CoordinatorKeys = version >= 4 ? [.. keys] : [] },
            version,
            r =>
            {
                if (version < 4)
                {
                    if (r.ErrorCode == 0)
                    {
                        IsGatewayAddress(context, r.Host, r.Port, "FindCoordinator");
                    }

                    return;
                }

                Assert.Equal(keys, r.Coordinators.Select(c => c.Key));
                foreach (var coordinator in r.Coordinators)
                {
                    if (keyType == 2)
                    {
                        Assert.Equal(InvalidRequest, coordinator.ErrorCode);
                    }
                    else if (coordinator.ErrorCode == 0)
                    {
                        IsGatewayAddress(context, coordinator.Host, coordinator.Port, "FindCoordinator");
                    }
                }
            });

        // Before v4 a request looks up one key.
        var probes = version >= 4
            ? new List<Probe> { Find(0, B.UpstreamGroup, B.OtherZoneGroup) }
            : [Find(0, B.UpstreamGroup), Find(0, B.OtherZoneGroup)];
        if (version >= 1)
        {
            probes.Add(Find(1, B.UpstreamTransactionalId));
        }

        if (version >= 6)
        {
            // Share groups (KIP-932) are not part of a zone.
            probes.Add(Find(2, B.UpstreamGroup));
        }

        return probes;
    }
}
