using PartnerZones.EmbeddedKafka.Groups;
using PartnerZones.EmbeddedKafka.Network;
using PartnerZones.EmbeddedKafka.State;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.EmbeddedKafka.Handlers;

/// <summary>
/// Stores committed offsets for a group after checking the member and generation. v0 carries neither, so
/// it is always a standalone commit; v1 may give a commit time per partition. (Kafka 3.x kept v0 commits in
/// ZooKeeper, apart from the group's offsets, and refused them under KRaft; this cluster has one offset
/// store, so every version reads and writes the same offsets.)
/// </summary>
internal sealed class OffsetCommitHandler : ApiHandler<OffsetCommitRequest, OffsetCommitResponse>
{
    // v9 carries a consumer-protocol member's epoch where older versions carry a classic generation (KIP-848).
    private const short FirstVersionWithMemberEpoch = 9;

    protected override ValueTask<OffsetCommitResponse?> HandleAsync(RequestContext context, OffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var groups = context.Node.Cluster.Groups;
        var byId = context.Version >= 10;
        short groupError = groups.CoordinatorFor(request.GroupId) != context.Node.Id ? ErrorCodes.NotCoordinator : ErrorCodes.None;
        ConsumerGroup? group = null;
        if (groupError == ErrorCodes.None)
        {
            // Only a standalone commit (no generation, no member) creates a group; a member's commit to a
            // group that does not exist is refused without leaving an empty group behind.
            var standalone = request.GenerationIdOrMemberEpoch < 0 && request.MemberId.Length == 0;
            group = standalone ? groups.GetOrCreate(request.GroupId) : groups.Find(request.GroupId);
            groupError = group is null ? ErrorCodes.UnknownMemberId : groups.ValidateCommit(group, request.GenerationIdOrMemberEpoch, request.MemberId, context.Version >= FirstVersionWithMemberEpoch, Partitions(context, request, byId));
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var response = new OffsetCommitResponse();
        foreach (var t in request.Topics)
        {
            var topic = PartitionLookup.Topic(context.Node, byId ? null : t.Name, t.TopicId);
            var topicResponse = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = t.Name, TopicId = t.TopicId };
            foreach (var p in t.Partitions)
            {
                var code = groupError;
                if (code == ErrorCodes.None && (topic is null || p.PartitionIndex < 0 || p.PartitionIndex >= topic.Partitions.Count))
                {
                    code = byId && topic is null ? ErrorCodes.UnknownTopicId : ErrorCodes.UnknownTopicOrPartition;
                }

                if (code == ErrorCodes.None)
                {
                    // v1's own commit time wins when given (-1 there, and every other version, means now).
                    var committedAt = context.Version == 1 && p.CommitTimestamp != -1 ? p.CommitTimestamp : now;
                    lock (group!)
                    {
                        group.Offsets[(topic!.Name, p.PartitionIndex)] = new CommittedOffset(p.CommittedOffset, p.CommittedLeaderEpoch, p.CommittedMetadata, committedAt);
                    }
                }

                topicResponse.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = code });
            }

            response.Topics.Add(topicResponse);
        }

        return ValueTask.FromResult<OffsetCommitResponse?>(response);
    }

    /// <summary>The partitions a commit names, by topic id; the coordinator checks a member's epoch against them.</summary>
    private static List<TopicPartitionId> Partitions(RequestContext context, OffsetCommitRequest request, bool byId)
    {
        var partitions = new List<TopicPartitionId>();
        foreach (var t in request.Topics)
        {
            if (PartitionLookup.Topic(context.Node, byId ? null : t.Name, t.TopicId) is { } topic)
            {
                partitions.AddRange(t.Partitions.Select(p => new TopicPartitionId(topic.Id, p.PartitionIndex)));
            }
        }

        return partitions;
    }
}

/// <summary>Reads committed offsets: one group (v0-7) or several (v8+); a null topic list means all.</summary>
internal sealed class OffsetFetchHandler : ApiHandler<OffsetFetchRequest, OffsetFetchResponse>
{
    // v2 added the top-level error code.
    private const short FirstVersionWithGroupError = 2;

    protected override ValueTask<OffsetFetchResponse?> HandleAsync(RequestContext context, OffsetFetchRequest request, CancellationToken cancellationToken)
    {
        var response = new OffsetFetchResponse();
        if (context.Version < 8)
        {
            var wanted = request.Topics?.Select(t => (Name: (string?)t.Name, Id: Guid.Empty, Partitions: (IReadOnlyList<int>)t.PartitionIndexes)).ToList();
            var (error, topics) = Fetch(context, request.GroupId, wanted, request.RequireStable);
            response.ErrorCode = error;
            if (error != ErrorCodes.None && context.Version < FirstVersionWithGroupError && wanted is not null)
            {
                // v0-1 have no group-level error: as Kafka does, every partition asked for carries it instead.
                topics = [.. wanted.Select(t => (t.Name!, t.Id, t.Partitions.Select(p => (p, (CommittedOffset?)null, error)).ToList()))];
            }

            foreach (var (name, _, partitions) in topics)
            {
                var topic = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = name };
                foreach (var (index, committed, code) in partitions)
                {
                    topic.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition
                    {
                        PartitionIndex = index,
                        CommittedOffset = committed?.Offset ?? -1,
                        CommittedLeaderEpoch = committed?.LeaderEpoch ?? -1,
                        Metadata = committed?.Metadata ?? "",
                        ErrorCode = code,
                    });
                }

                response.Topics.Add(topic);
            }

            return ValueTask.FromResult<OffsetFetchResponse?>(response);
        }

        var byId = context.Version >= 10;
        foreach (var g in request.Groups)
        {
            var wanted = g.Topics?.Select(t => (byId ? null : t.Name, t.TopicId, (IReadOnlyList<int>)t.PartitionIndexes)).ToList();
            var (error, topics) = Fetch(context, g.GroupId, wanted, request.RequireStable, (g.MemberId ?? "", g.MemberEpoch));
            var group = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = g.GroupId, ErrorCode = error };
            foreach (var (name, id, partitions) in topics)
            {
                var topic = new OffsetFetchResponse.OffsetFetchResponseTopics { Name = name, TopicId = id };
                foreach (var (index, committed, code) in partitions)
                {
                    topic.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartitions
                    {
                        PartitionIndex = index,
                        CommittedOffset = committed?.Offset ?? -1,
                        CommittedLeaderEpoch = committed?.LeaderEpoch ?? -1,
                        Metadata = committed?.Metadata ?? "",
                        ErrorCode = code,
                    });
                }

                group.Topics.Add(topic);
            }

            response.Groups.Add(group);
        }

        return ValueTask.FromResult<OffsetFetchResponse?>(response);
    }

    private static (short Error, List<(string Name, Guid Id, List<(int Index, CommittedOffset? Committed, short Code)> Partitions)> Topics) Fetch(
        RequestContext context, string groupId, List<(string? Name, Guid Id, IReadOnlyList<int> Partitions)>? wanted, bool requireStable,
        (string Id, int Epoch) member = default)
    {
        var groups = context.Node.Cluster.Groups;
        var result = new List<(string, Guid, List<(int, CommittedOffset?, short)>)>();
        if (groups.CoordinatorFor(groupId) != context.Node.Id)
        {
            return (ErrorCodes.NotCoordinator, result);
        }

        var group = groups.Find(groupId);
        Dictionary<(string Topic, int Partition), CommittedOffset> offsets;
        if (group is null && context.Node.Cluster.Options.UnknownGroupOffsetFetchFails)
        {
            return (ErrorCodes.GroupIdNotFound, result);
        }

        if (group is null)
        {
            offsets = [];
        }
        else
        {
            lock (group)
            {
                // A consumer-protocol member (v9+) fetches as itself: it must be a member at its current epoch.
                // Without a member id and epoch it is an administrative read, as before KIP-848.
                if (group.Modern is { } modern && (member.Id is { Length: > 0 } || member.Epoch >= 0))
                {
                    var asked = wanted?.SelectMany(w => PartitionLookup.Topic(context.Node, w.Name, w.Id) is { } topic
                        ? w.Partitions.Select(p => new TopicPartitionId(topic.Id, p))
                        : []).ToList() ?? [];
                    var code = ConsumerProtocolCoordinator.ValidateMemberEpoch(modern, member.Id ?? "", member.Epoch, asked);
                    if (code != ErrorCodes.None)
                    {
                        return (code, result);
                    }
                }

                offsets = new(group.Offsets);
            }
        }

        if (wanted is null)
        {
            foreach (var byTopic in offsets.GroupBy(o => o.Key.Topic).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var id = context.Node.State.Find(byTopic.Key)?.Id ?? Guid.Empty;
                result.Add((byTopic.Key, id, [.. byTopic.OrderBy(o => o.Key.Partition).Select(o => (o.Key.Partition, (CommittedOffset?)o.Value, ErrorCodes.None))]));
            }

            MarkUnstable(context, groupId, result, requireStable);
            return (ErrorCodes.None, result);
        }

        foreach (var (name, id, partitions) in wanted)
        {
            var topic = PartitionLookup.Topic(context.Node, name, id);
            var topicName = name ?? topic?.Name ?? "";
            var entries = partitions.Select(p => (p, topic is null ? null : offsets.GetValueOrDefault((topic.Name, p)),
                name is null && topic is null ? ErrorCodes.UnknownTopicId : ErrorCodes.None)).ToList();
            result.Add((topicName, id, entries));
        }

        MarkUnstable(context, groupId, result, requireStable);
        return (ErrorCodes.None, result);
    }

    /// <summary>Offsets an ongoing transaction staged for a partition are not stable yet: a client that
    /// asks for stable offsets (v7+) gets UNSTABLE_OFFSET_COMMIT for it and retries, as with Kafka.</summary>
    private static void MarkUnstable(RequestContext context, string groupId,
        List<(string Name, Guid Id, List<(int Index, CommittedOffset? Committed, short Code)> Partitions)> topics, bool requireStable)
    {
        if (!requireStable)
        {
            return;
        }

        foreach (var (name, _, partitions) in topics)
        {
            for (var i = 0; i < partitions.Count; i++)
            {
                if (partitions[i].Code == ErrorCodes.None && context.Node.Cluster.Transactions.HasPendingOffset(groupId, name, partitions[i].Index))
                {
                    partitions[i] = (partitions[i].Index, null, ErrorCodes.UnstableOffsetCommit);
                }
            }
        }
    }
}

/// <summary>Deletes committed offsets of partitions the group no longer consumes.</summary>
internal sealed class OffsetDeleteHandler : ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse>
{
    protected override ValueTask<OffsetDeleteResponse?> HandleAsync(RequestContext context, OffsetDeleteRequest request, CancellationToken cancellationToken)
    {
        var groups = context.Node.Cluster.Groups;
        var response = new OffsetDeleteResponse();
        if (groups.CoordinatorFor(request.GroupId) != context.Node.Id)
        {
            response.ErrorCode = ErrorCodes.NotCoordinator;
            return ValueTask.FromResult<OffsetDeleteResponse?>(response);
        }

        if (groups.Find(request.GroupId) is not { } group)
        {
            response.ErrorCode = ErrorCodes.GroupIdNotFound;
            return ValueTask.FromResult<OffsetDeleteResponse?>(response);
        }

        lock (group)
        {
            foreach (var t in request.Topics)
            {
                var topic = new OffsetDeleteResponse.OffsetDeleteResponseTopic { Name = t.Name };
                foreach (var p in t.Partitions)
                {
                    // Kafka refuses while a stable group's members still consume the topic; members'
                    // subscriptions are opaque here, so a group with members counts as subscribed.
                    var code = group.Members.Count > 0 ? ErrorCodes.GroupSubscribedToTopic : ErrorCodes.None;
                    if (code == ErrorCodes.None)
                    {
                        group.Offsets.Remove((t.Name, p.PartitionIndex));
                    }

                    topic.Partitions.Add(new OffsetDeleteResponse.OffsetDeleteResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = code });
                }

                response.Topics.Add(topic);
            }
        }

        return ValueTask.FromResult<OffsetDeleteResponse?>(response);
    }
}
